package org.pstore.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pstore.boot.Boot;
import org.pstore.frontend.Pmsg;
import org.pstore.reader.PstoreReader;

/**
 * Item 4, post-mortem reading: {@link #readerScan} opens a store of {@value #RECORDS} pmsg records (~100 B
 * each) with the reader API and lists every record (validation included); records/s = records / time.
 * {@link #cliListJson} runs {@code bin/pstore list --json --dir <store>} over {@value #CLI_RECORDS} records
 * as a whole process, output discarded (the runner leaves it out when the CLI is not built); {@link #cliExportOtlp}
 * and {@link #cliExportJsonl} run {@code bin/pstore export --format otlp|jsonl} the same way, the one beside the
 * other.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReaderBench {
    static final int RECORDS = 1_000_000;
    static final int CLI_RECORDS = 100_000;

    /** A closed store holding {@code records} pmsg records, written through the normal path once per trial. */
    public abstract static class FullStore {
        Path parent;
        Path dir;

        abstract int records();

        @Setup(Level.Trial)
        public void build() {
            int n = records();
            parent = Temp.dir("reader");
            long start = System.nanoTime();
            Boot.Booted b = Stores.open(parent, c -> c.mode(org.pstore.core.Mode.LEGACY).capacity(1L << 30).pmsgBytes(480L << 20));
            try {
                Pmsg pmsg = b.pmsg();
                byte[] message = Stores.text(100, 3);
                for (int i = 0; i < n; i++) {
                    byte[] id = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(id, 0, message, 0, id.length); // each message different
                    pmsg.write(message, 0, message.length);
                }
                dir = b.config().dir();
            } finally {
                Stores.close(b);
            }
            Notes.put("reader.build." + n, n + " records written in " + (System.nanoTime() - start) / 1_000_000 + " ms, store "
                    + Du.of(parent).describe());
        }

        @TearDown(Level.Trial)
        public void delete() {
            Temp.delete(parent);
        }
    }

    @State(Scope.Benchmark)
    public static class MillionRecords extends FullStore {
        @Override
        int records() {
            return RECORDS;
        }
    }

    @State(Scope.Benchmark)
    public static class CliRecords extends FullStore {
        Path launcher;

        @Override
        int records() {
            return CLI_RECORDS;
        }

        @Setup(Level.Trial)
        public void findLauncher() {
            String root = System.getProperty(Bench.ROOT_PROPERTY);
            if (root == null) {
                throw new IllegalStateException("-D" + Bench.ROOT_PROPERTY + " (the repository root) is not set");
            }
            launcher = Path.of(root, "bin", "pstore");
            if (!Files.isExecutable(launcher)) {
                throw new IllegalStateException(launcher + " is missing");
            }
        }
    }

    @Benchmark
    public int readerScan(MillionRecords store) {
        try (PstoreReader reader = PstoreReader.open(store.dir)) {
            int n = reader.records().size();
            if (n < RECORDS) {
                throw new IllegalStateException("the reader listed " + n + " records, expected at least " + RECORDS
                        + "; problems: " + reader.problems());
            }
            return n;
        }
    }

    @Benchmark
    public int cliListJson(CliRecords store) throws Exception {
        return cli(store, "list", "--json");
    }

    @Benchmark
    public int cliExportOtlp(CliRecords store) throws Exception {
        return cli(store, "export", "--format", "otlp");
    }

    @Benchmark
    public int cliExportJsonl(CliRecords store) throws Exception {
        return cli(store, "export", "--format", "jsonl");
    }

    /** bin/pstore ARGS --dir STORE as a whole process, stdout discarded; fails on a non-zero exit. */
    private static int cli(CliRecords store, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(store.launcher.toString());
        cmd.addAll(java.util.List.of(args));
        cmd.add("--dir");
        cmd.add(store.dir.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(store.parent.resolve("cli.err").toFile())
                .start();
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException("bin/pstore " + String.join(" ", args) + " exited with " + status + ": "
                    + Files.readString(store.parent.resolve("cli.err")).strip());
        }
        return status;
    }
}
