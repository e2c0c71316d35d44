package org.pstore.torture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.boot.Boot;
import org.pstore.panic.DumpReason;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * A store on a filesystem that fills up. "tmpfs": the store lives on a small tmpfs mounted for this process
 * alone, which a filler file then fills to the last block; "simulated": the store's capacity is the limit.
 * Writes pmsg until one is refused, writes a crash record, reads both back, frees the space and writes
 * again. Says {@code held: ...} or {@code FAILED: ...} for each check. Args: store dir, mode.
 */
public final class DiskFullApp {
    private static int failed;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean tmpfs = args[1].equals("tmpfs");
        PstoreConfig config = PstoreConfig.builder().dir(dir).capacity(1 << 20).reserve(256 << 10).pmsgBytes(256 << 10)
                .journalBytes(256 << 10).build();
        Boot.Booted b = Boot.open(config);
        List<Long> stored = new ArrayList<>();
        Path filler = dir.getParent().resolve("filler");
        try {
            if (tmpfs) {
                fill(filler);
                say(true, "the filesystem is full: a filler of " + Files.size(filler) + " bytes, " + Files.getFileStore(dir).getUsableSpace()
                        + " bytes usable");
            }
            for (int i = 0; i < 100; i++) {
                byte[] m = ("message " + i + " " + "y".repeat(200)).getBytes(StandardCharsets.UTF_8);
                stored.add(b.pmsg().write(m, 0, m.length));
            }
            // then the store's room for normal writes is used up, variable after variable
            org.pstore.core.VariableOps ops = b.services().ops();
            org.pstore.core.Namespace ns = org.pstore.core.Namespace.of(java.util.UUID.randomUUID(), "filler");
            byte[] data = new byte[4096];
            int n = 0;
            org.pstore.core.Status s;
            while ((s = ops.set(ns, "fill-" + n, org.pstore.core.Attributes.DEFAULT, data, 0, data.length)) == org.pstore.core.Status.OK
                    && n < 100_000) {
                n++;
            }
            say(s == org.pstore.core.Status.OUT_OF_RESOURCES, "normal writes are refused cleanly once full: " + s + " after " + n
                    + " writes of 4 KiB");
            // a small pmsg may still fit where a 4 KiB variable did not (the reserve stays whole): until it does not
            String refusal = null;
            int more = 0;
            for (; refusal == null && more < 10_000; more++) {
                try {
                    byte[] m = ("one more message " + more).getBytes(StandardCharsets.UTF_8);
                    b.pmsg().write(m, 0, m.length);
                } catch (PstoreException e) {
                    refusal = e.getMessage();
                }
            }
            say(refusal != null && !refusal.contains("\n"), "a pmsg is refused with one line (after " + (more - 1) + " small ones): " + refusal);
            b.ring().println("the last line before the crash record");
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
        } catch (Throwable t) {
            say(false, "no write failed with anything but a refusal: " + t + " at " + java.util.Arrays.toString(t.getStackTrace()));
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) { // still full: the reader reads a full disk too
            List<PstoreRecord> panics = r.records().stream().filter(x -> x.type() == RecordType.DMESG && x.reason() == DumpReason.PANIC.code()).toList();
            say(!panics.isEmpty() && r.payload(panics.get(panics.size() - 1)) != null && r.payload(panics.get(panics.size() - 1)).text().contains("Panic#"),
                    "the crash record fits in the reserve and reads back (" + panics.size() + " parts)");
            long kept = r.records().stream().filter(x -> x.type() == RecordType.PMSG).filter(x -> r.payload(x) != null
                    && r.payload(x).text().startsWith("message ")).count();
            say(kept > 0, "what was stored is intact: " + kept + " pmsg read back, problems " + r.problems());
            say(r.problems().isEmpty(), "no damaged record or file");
        } catch (Throwable t) {
            say(false, "the reader reads a full filesystem: " + t + " at " + java.util.Arrays.toString(t.getStackTrace()));
        }
        Files.deleteIfExists(filler);
        Boot.Booted again = Boot.open(config);
        try {
            // space comes back as it does in a store: records are erased (the filler variables here)
            org.pstore.core.VariableOps ops = again.services().ops();
            java.util.List<org.pstore.core.Namespace> spaces = new java.util.ArrayList<>();
            java.util.List<String> names = new java.util.ArrayList<>();
            org.pstore.core.NameCursor cursor = new org.pstore.core.NameCursor();
            while (ops.nextName(cursor) == org.pstore.core.Status.OK) {
                if (cursor.nameString().startsWith("fill-")) {
                    spaces.add(cursor.namespace());
                    names.add(cursor.nameString());
                }
            }
            int deleted = 0;
            for (int i = 0; i < names.size(); i++) {
                if (ops.set(spaces.get(i), names.get(i), 0, null, 0, 0).ok()) {
                    deleted++;
                }
            }
            say(deleted > 0 || names.isEmpty(), "deletes are possible on a full store: " + deleted + " of " + names.size());
            byte[] m = "after the space came back".getBytes(StandardCharsets.UTF_8);
            again.pmsg().write(m, 0, m.length);
            say(true, "after space is freed, writes resume");
        } catch (RuntimeException e) {
            say(false, "after space is freed, writes resume: " + e);
        } finally {
            again.close();
        }
        if (tmpfs) {
            // a boot on a filesystem that is full already: a new store refused in one line, the old one booted
            fill(filler);
            for (Path store : List.of(dir.getParent().resolve("fresh"), dir)) {
                String outcome;
                try {
                    Boot.open(PstoreConfig.builder().dir(store).capacity(1 << 20).reserve(256 << 10).pmsgBytes(256 << 10)
                            .journalBytes(256 << 10).build()).close();
                    outcome = "booted";
                } catch (PstoreException | org.pstore.core.StoreException e) {
                    outcome = "refused: " + e.getMessage();
                } catch (Throwable t) {
                    outcome = "FAULT " + t;
                }
                say(!outcome.startsWith("FAULT") && !outcome.contains("\n"), "a boot on a full filesystem is a boot or a one-line refusal ("
                        + store.getFileName() + "): " + outcome);
            }
            Files.deleteIfExists(filler);
        }
        System.out.println("done, " + failed + " failed");
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left on the device: what the test is about
        }
    }

    private static void say(boolean held, String what) {
        if (!held) {
            failed++;
        }
        System.out.println((held ? "held: " : "FAILED: ") + what);
        System.out.flush();
    }
}
