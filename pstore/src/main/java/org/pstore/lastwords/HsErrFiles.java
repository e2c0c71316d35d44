package org.pstore.lastwords;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the JVM leaves the files of a fatal error, and how pstore reads them. The paths come from a start
 * mark, which the store's account wrote: a less trusted account could name {@code /etc/shadow} as its
 * {@code -XX:ErrorFile}, and the reader may run as root. So a file is read only when it is a regular file
 * itself (never through a symbolic link; FIFOs, devices, sockets refused), owned by the store's owner, with one
 * link, and at most {@link #MAX_BYTES}; it is opened without following a link, and read to that bound.
 */
public final class HsErrFiles {
    /** The largest hs_err file ingested; a larger one is named, not read. */
    public static final int MAX_BYTES = 4 << 20;
    /** The JVM's own temporary directory for hs_err files on Linux (os::get_temp_directory), whatever java.io.tmpdir says. */
    private static final String OS_TMP = "/tmp";
    private static final String[] JFR_PREFIXES = {"hs_err_pid", "hs_oom_pid", "hs_soe_pid"};

    private HsErrFiles() {
    }

    /** Where the JVM of {@code pid} wrote its hs_err file, in the order it tries them: ErrorFile, the working directory, /tmp. */
    public static List<Path> candidates(StartMark mark, long pid) {
        Set<Path> paths = new LinkedHashSet<>();
        Optional<Path> cwd = mark.get(StartMark.CWD).map(Path::of).filter(Path::isAbsolute);
        mark.get(StartMark.ERROR_FILE).ifPresent(pattern -> {
            Path given = Path.of(expand(pattern, pid));
            Path p = given.isAbsolute() ? given : cwd.map(c -> c.resolve(given)).orElse(null);
            if (p != null) {
                paths.add(p.normalize());
            }
        });
        String name = "hs_err_pid" + pid + ".log";
        cwd.ifPresent(c -> paths.add(c.resolve(name)));
        paths.add(Path.of(OS_TMP, name));
        mark.get(StartMark.TMP).map(Path::of).filter(Path::isAbsolute).ifPresent(t -> paths.add(t.resolve(name)));
        return new ArrayList<>(paths);
    }

    /** The JFR emergency dumps of {@code pid} that exist (named only: they are not ingested). */
    public static List<Path> jfrDumps(StartMark mark, long pid) {
        Set<Path> dirs = new LinkedHashSet<>();
        mark.get(StartMark.CWD).map(Path::of).filter(Path::isAbsolute).ifPresent(dirs::add);
        for (Path p : candidates(mark, pid)) {
            if (p.getParent() != null) {
                dirs.add(p.getParent());
            }
        }
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            for (String prefix : JFR_PREFIXES) {
                Path f = dir.resolve(prefix + pid + ".jfr");
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    found.add(f);
                }
            }
        }
        return found;
    }

    /** The JVM's ErrorFile pattern with %p (the pid) and %% expanded. */
    static String expand(String pattern, long pid) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%' && i + 1 < pattern.length()) {
                char n = pattern.charAt(++i);
                if (n == 'p') {
                    sb.append(pid);
                } else if (n == '%') {
                    sb.append('%');
                } else {
                    sb.append('%').append(n);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The file's bytes, read under the rules above, {@code ownerUid} being the store's owner (-1: not checked,
     * where the file system has no owners). Throws saying why a file is refused.
     */
    public static byte[] read(Path file, int ownerUid) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException(file + " is " + org.pstore.core.store.StoreFiles.kind(a) + ", not a regular file; not read");
        }
        if (a.size() > MAX_BYTES) {
            throw new IOException(file + " is " + a.size() + " bytes, more than the " + MAX_BYTES + " ingested; not read");
        }
        int uid = org.pstore.core.store.StoreFiles.ownerUid(file);
        if (ownerUid >= 0 && uid != ownerUid) {
            throw new IOException(file + " belongs to uid " + uid + ", not to the store's owner (uid " + ownerUid + "); not read");
        }
        Object links = attribute(file, "unix:nlink");
        if (links instanceof Integer n && n != 1) {
            throw new IOException(file + " has " + n + " links; not read");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException(file + " grew past " + MAX_BYTES + " bytes while it was read; not read");
        }
        return bytes;
    }

    private static Object attribute(Path file, String name) {
        try {
            return Files.getAttribute(file, name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A small file of the kernel's (procfs, cgroupfs: their sizes read as 0 or 4096), bounded, never through a link. */
    static byte[] readSmall(Path file, int max) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(max);
        }
    }

    /**
     * The lines of an hs_err file's header that say what happened: the signal (or the error) and the
     * problematic frame, without their leading {@code #}.
     */
    public static List<String> headline(byte[] hsErr) {
        String text = new String(hsErr, 0, Math.min(hsErr.length, 8192), StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length && i < 60; i++) {
            String l = lines[i].startsWith("#") ? lines[i].substring(1).strip() : null;
            if (l == null || l.isEmpty()) {
                continue;
            }
            if (l.matches("(SIG[A-Z0-9]+|EXCEPTION_[A-Z_]+|Internal Error|Out of Memory Error|There is insufficient memory|Native memory allocation|fatal error).*")) {
                out.add(l);
            } else if (l.startsWith("Problematic frame:") && i + 1 < lines.length && lines[i + 1].startsWith("#")) {
                out.add("Problematic frame: " + lines[i + 1].substring(1).strip());
            }
        }
        return out.size() > 4 ? out.subList(0, 4) : out;
    }
}
