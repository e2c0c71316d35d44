package org.pstore.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.boot.Boot;
import org.pstore.compress.Compression;
import org.pstore.compress.Decompressor;
import org.pstore.core.Status;
import org.pstore.frontend.DmesgDumper;
import org.pstore.panic.DumpReason;
import org.pstore.panic.Dumper;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The dmesg dumper's crash buffers have owners: the early and the full revision of a panic, an emergency
 * dump and the oopses and shutdown dumps run at once, from their own threads, while writers keep logging;
 * a backend validates every frame the moment it is written (CRC, header, a reason that agrees with the
 * text's first line, a payload that inflates, every log line whole). Bounded in time
 * ({@code -Dpstore.test.stressMillis}, 4 s by default); it must see many thousand frames and no bad one.
 */
class DmesgDumperStressTest {
    private static final long MILLIS = Long.getLong("pstore.test.stressMillis", 4000);
    private static final String[] WORDS = {"Dump", "Panic", "Oops", "Emergency", "Shutdown"};
    private static final Pattern STRESS_LINE = Pattern.compile("\\[ *\\d+\\.\\d{6}\\] stress (\\d+) (#*) end");

    @TempDir
    Path dir;

    @Test
    void concurrentDumpsOfEveryKindWriteOnlyWholeFrames() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        Validating backend = new Validating(b.backend().bufferSize());
        try {
            DmesgDumper dumper = new DmesgDumper(b.ring(), backend, b.identity(),
                    new RecordIds(b.identity().bootNumber()), b.lifetime(), 32 << 10, Compression.DEFLATE);
            dumper.rehearse();
            long end = System.nanoTime() + MILLIS * 1_000_000L;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                threads.add(loop("writer-" + w, end, n -> b.ring().println("stress " + n + " " + "#".repeat((int) (n % 50)) + " end")));
            }
            threads.add(loop("panic-early", end, n -> dumper.dump(DumpReason.PANIC, Dumper.EARLY, n)));
            threads.add(loop("panic-full", end, n -> dumper.dump(DumpReason.PANIC, Dumper.FULL, n)));
            threads.add(loop("emergency", end, n -> dumper.dump(DumpReason.EMERG, n)));
            threads.add(loop("oops", end, n -> dumper.dump(n % 2 == 0 ? DumpReason.OOPS : DumpReason.SHUTDOWN, n)));
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            b.close();
        }
        System.out.println("dmesg dumper stress: " + backend.frames + " frames, " + backend.lines + " lines checked, "
                + backend.bad.size() + " bad; by reason " + backend.reasons);
        assertThat(backend.bad).as("bad frames").isEmpty();
        assertThat(backend.frames.get()).as("frames written").isGreaterThan(2000);
        assertThat(backend.reasons.keySet()).as("every kind of dump ran").contains("Panic", "Oops", "Emergency", "Shutdown");
    }

    private static Thread loop(String name, long end, java.util.function.LongConsumer body) {
        Thread t = new Thread(() -> {
            for (long n = 1; System.nanoTime() - end < 0; n++) {
                body.accept(n);
            }
        }, name);
        t.start();
        return t;
    }

    /** Keeps nothing; checks every frame as it is handed over, from whichever thread. */
    private static final class Validating implements Backend {
        private final int bufferSize;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong lines = new AtomicLong();
        final List<String> bad = java.util.Collections.synchronizedList(new ArrayList<>());
        final ConcurrentHashMap<String, AtomicLong> reasons = new ConcurrentHashMap<>();

        Validating(int bufferSize) {
            this.bufferSize = bufferSize;
        }

        @Override
        public String name() {
            return "validating";
        }

        @Override
        public Set<RecordType> frontends() {
            return EnumSet.of(RecordType.DMESG);
        }

        @Override
        public int bufferSize() {
            return bufferSize;
        }

        @Override
        public Status write(RecordWrite record) {
            return panicWrite(record);
        }

        @Override
        public Status panicWrite(RecordWrite record) {
            byte[] copy = java.util.Arrays.copyOf(record.frame, record.length);
            String problem = check(copy);
            frames.incrementAndGet();
            if (problem != null && bad.size() < 20) {
                bad.add(problem);
            }
            record.placed = Location.STORE;
            return Status.OK;
        }

        private String check(byte[] frame) {
            RecordFormat.Frame f = new RecordFormat.Decoder().decode(frame, 0, frame.length);
            if (f == null) {
                return "a frame that does not validate (" + frame.length + " bytes)";
            }
            if (f.typeCode() != RecordType.DMESG.code() || f.reasonCode() >= WORDS.length) {
                return "type " + f.typeCode() + ", reason " + f.reasonCode();
            }
            byte[] payload = f.compressed() ? Decompressor.inflate(frame, f.payloadOffset(), f.payloadLength())
                    : java.util.Arrays.copyOfRange(frame, f.payloadOffset(), f.payloadOffset() + f.payloadLength());
            if (payload == null || payload == Decompressor.OVER_LIMIT) {
                return "a payload that does not inflate";
            }
            String text = new String(payload, StandardCharsets.UTF_8);
            String word = WORDS[f.reasonCode()];
            String header = word + "#" + f.count() + " Part#" + f.part() + "\n";
            if (!text.startsWith(header)) {
                return "reason " + word + " count " + f.count() + " part " + f.part() + " but text begins "
                        + text.substring(0, Math.min(40, text.length())).replace("\n", "\\n");
            }
            reasons.computeIfAbsent(word, k -> new AtomicLong()).incrementAndGet();
            String[] body = text.substring(header.length()).split("\n", -1);
            for (int i = 0; i < body.length - 1; i++) { // each part ends with a newline: the last piece is empty
                String line = body[i];
                if (line.contains("stress")) {
                    Matcher m = STRESS_LINE.matcher(line);
                    if (!m.matches() || m.group(2).length() != Long.parseLong(m.group(1)) % 50) {
                        return "a torn line in " + word + "#" + f.count() + " Part#" + f.part() + ": " + line;
                    }
                    lines.incrementAndGet();
                }
            }
            if (!body[body.length - 1].isEmpty()) {
                return "a part that does not end with a whole line: " + body[body.length - 1];
            }
            return null;
        }

        @Override
        public void read(Consumer<PstoreRecord> records, Consumer<String> problems) {
        }

        @Override
        public byte[] payload(PstoreRecord record) {
            return null;
        }

        @Override
        public Status erase(PstoreRecord record) {
            return Status.NOT_FOUND;
        }
    }
}
