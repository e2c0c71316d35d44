package org.pstore.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.pstore.PstoreException;
import org.pstore.backend.EfiBackend;
import org.pstore.backend.PanicArea;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.store.ChronicleRuntime;
import org.pstore.core.store.StoreFiles;

/**
 * The directory of a pstore store (the backend names its own parts: {@link EfiBackend#vars},
 * {@link EfiBackend#console}, {@link PanicArea#FILE}):
 * <pre>
 * PSTORE        marker: "pstore store", the format version, and what the last boot set (key value lines)
 * vars/         the variable store (dmesg parts, pmsg messages, lifetime counters)
 * console/      the console journal
 * panic.area    the reserved panic area
 * </pre>
 * A directory that holds other things and no marker is not ours: we refuse to write into it.
 */
public final class StoreLayout {
    public static final String MARKER = "PSTORE";
    public static final String MARKER_TEXT = "pstore store\nformat 1\n";
    /** The marker's line naming the service the last boot was told it is ({@code pstore.service}). */
    public static final String SERVICE = "service";
    /** A marker is a few short lines: more than this is not read. */
    private static final int MAX_MARKER_BYTES = 64 << 10;

    private StoreLayout() {
    }

    /**
     * What {@link #prepare} would refuse, refused now, changing nothing but creating the directory (0700): the
     * agent says why it cannot arm before it boots. A damaged or missing marker is left to boot, which heals
     * it and records the healing.
     */
    public static void check(Path dir) {
        try {
            ChronicleRuntime.ensure();
        } catch (StoreException e) {
            throw new PstoreException(e.status(), e.getMessage(), e);
        }
        StoreFiles.createDirectory(dir);
        if (Files.exists(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent() && !recognisable(dir)) {
                throw notAStore(dir);
            }
        } catch (IOException e) {
            throw new PstoreException(Status.DEVICE_ERROR, "cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private static PstoreException notAStore(Path dir) {
        return new PstoreException(Status.INVALID, dir + " is not empty and is not a pstore store (no " + MARKER + " file); choose another pstore.dir");
    }

    /**
     * Creates the directory (0700) and its marker, or checks an existing directory is a store. The JVM is
     * checked first (Chronicle's flags), so a boot that cannot work leaves nothing behind. Returns what it
     * made just now: a boot that fails after that {@link #abandon}s it.
     *
     * <p>A store whose marker is missing or damaged (not a regular file, not our text, its checksum wrong)
     * but whose layout is recognisable ({@link #recognisable}) is healed: a damaged marker is moved into the
     * quarantine, a fresh one written, and {@code healed} told what was done. A directory that holds
     * anything else is refused, as it is not ours.
     */
    public static Made prepare(Path dir, java.util.List<String> healed) {
        try {
            ChronicleRuntime.ensure();
        } catch (StoreException e) {
            throw new PstoreException(e.status(), e.getMessage(), e);
        }
        boolean existed = Files.isDirectory(dir);
        StoreFiles.createDirectory(dir);
        Path marker = dir.resolve(MARKER);
        try {
            if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                String problem = markerProblem(dir);
                if (problem == null) {
                    return Made.NOTHING;
                }
                org.pstore.core.store.Quarantine.Entry moved = new org.pstore.core.store.Quarantine(
                        dir.resolve(org.pstore.core.store.Quarantine.DIR), org.pstore.core.store.Quarantine.DEFAULT_BOUND)
                        .add(marker, "store", problem);
                writeMarker(marker);
                healed.add("marker " + moved + "; a fresh one written (the sizes recorded in it are lost: boot used its own)");
                return Made.NOTHING;
            }
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !recognisable(dir)) {
                throw notAStore(dir);
            }
            writeMarker(marker);
            if (!empty) {
                healed.add("marker " + MARKER + " missing in a store whose layout is recognisable: a fresh one written");
                return Made.NOTHING;
            }
            return existed ? Made.STORE : Made.STORE_AND_DIRECTORY;
        } catch (IOException e) {
            if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                abandon(dir, existed ? Made.STORE : Made.STORE_AND_DIRECTORY);
            }
            throw new PstoreException(Status.DEVICE_ERROR, "cannot prepare store " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeMarker(Path marker) throws IOException {
        try (FileChannel ch = StoreFiles.createNew(marker)) {
            StoreFiles.writeFully(ch, ByteBuffer.wrap(MARKER_TEXT.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** The names a store directory holds; one that holds only these, and one of the locations, is a store. */
    private static final java.util.Set<String> LAYOUT = java.util.Set.of(EfiBackend.VARS_DIR, EfiBackend.CONSOLE_DIR, PanicArea.FILE,
            org.pstore.core.store.Quarantine.DIR, EfiBackend.QUARANTINE_ERASED, MARKER, org.pstore.lastwords.RunMark.FILE);

    /**
     * Whether {@code dir} is laid out as a store (a marker aside): it holds a location (vars/, console/,
     * panic.area) and nothing but the store's own names (the panic area's files moved aside included).
     */
    public static boolean recognisable(Path dir) {
        boolean location = false;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                String base = name.startsWith(PanicArea.FILE + ".") ? PanicArea.FILE : name;
                if (!LAYOUT.contains(base) && !name.startsWith(MARKER + ".")) {
                    return false;
                }
                location |= base.equals(EfiBackend.VARS_DIR) || base.equals(EfiBackend.CONSOLE_DIR) || base.equals(PanicArea.FILE);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
        return location;
    }

    /**
     * What is wrong with the marker (null when nothing): it must be a regular file, start with our text, and
     * when it carries a checksum line, match it. An older marker without one is taken as it is.
     */
    public static String markerProblem(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            return "not a regular file";
        }
        String text;
        try {
            text = new String(StoreFiles.readBounded(marker, MAX_MARKER_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        if (!text.startsWith(MARKER_TEXT)) {
            return "not a pstore marker (it does not start with \"pstore store\", \"format 1\")";
        }
        int at = text.lastIndexOf("\n" + CHECKSUM + " ");
        if (at < 0) {
            return null;
        }
        String body = text.substring(0, at + 1);
        String written = text.substring(at + 1 + CHECKSUM.length() + 1).strip();
        return written.equals(checksum(body)) ? null : "its checksum does not match its text";
    }

    /** The marker's last line: a CRC32C of everything before it, so that a flipped digit is not adopted as a size. */
    private static final String CHECKSUM = "crc32c";

    private static String checksum(String body) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /**
     * Undoes a store that {@link #prepare} made for a boot that then failed: nothing half-made is left. Only
     * what is inside is removed, never through a link; the directory itself too when boot created it.
     */
    public static void abandon(Path dir, Made made) {
        if (made == Made.NOTHING) {
            return;
        }
        boolean directoryToo = made == Made.STORE_AND_DIRECTORY;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (!d.equals(dir) || directoryToo) {
                        Files.delete(d);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: the boot's own failure is the one to report
        }
    }

    /** What {@link #prepare} made. */
    public enum Made { NOTHING, STORE, STORE_AND_DIRECTORY }

    /** A store: its marker is there (sound or not: the reader says which), or its layout is recognisable. */
    public static boolean isStore(Path dir) {
        return Files.exists(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS) || recognisable(dir);
    }

    /** The settings the store in {@code dir} was made with, as its marker records them. */
    public static java.util.Optional<StoreSettings> settings(Path dir) {
        return StoreSettings.from(facts(dir));
    }

    /** {@code config} with the sizes the store in its directory was made with, where it was not told others. */
    public static org.pstore.PstoreConfig adopt(org.pstore.PstoreConfig config) {
        return settings(config.dir()).map(s -> s.adoptedBy(config)).orElse(config);
    }

    /**
     * Rewrites the marker with the settings of this boot and what it says about itself, for readers and for
     * the next writer (atomically: a reader sees old or new).
     */
    public static void describe(Path dir, StoreSettings settings, java.util.Map<String, String> facts) {
        StringBuilder text = new StringBuilder(MARKER_TEXT);
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(facts);
        all.putAll(settings.facts());
        all.forEach((k, v) -> text.append(k).append(' ').append(v.replace('\n', ' ')).append('\n'));
        String sum = checksum(text.toString()); // before its own line is begun
        text.append(CHECKSUM).append(' ').append(sum).append('\n');
        try {
            StoreFiles.replaceDurably(dir.resolve(MARKER), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PstoreException(Status.DEVICE_ERROR, "cannot write " + dir.resolve(MARKER) + ": " + e.getMessage(), e);
        }
    }

    /** The service name the store's last boot recorded ({@code pstore.service}), if any. */
    public static java.util.Optional<String> service(Path dir) {
        String name = facts(dir).get(SERVICE);
        return name == null || name.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(name.strip());
    }

    /** The key value lines of the marker (empty when absent, unreadable or damaged: a damaged marker tells nothing). */
    public static java.util.Map<String, String> facts(Path dir) {
        java.util.Map<String, String> facts = new java.util.LinkedHashMap<>();
        if (markerProblem(dir) != null) {
            return facts;
        }
        try {
            String text = new String(StoreFiles.readBounded(dir.resolve(MARKER), MAX_MARKER_BYTES), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    facts.put(line.substring(0, sp), line.substring(sp + 1));
                }
            }
        } catch (IOException e) {
            // no facts: the reader reports what it can see
        }
        return facts;
    }
}
