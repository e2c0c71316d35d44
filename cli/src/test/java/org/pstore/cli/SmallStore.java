package org.pstore.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;
import org.pstore.panic.DumpReason;

/** A real store written in this JVM: 300 log lines (each in a microsecond of its own), a text and a binary pmsg, a panic dump in parts. */
final class SmallStore {
    final Path dir;
    final long pmsgId;
    final long binaryId;

    private SmallStore(Path dir, long pmsgId, long binaryId) {
        this.dir = dir;
        this.pmsgId = pmsgId;
        this.binaryId = binaryId;
    }

    static PstoreConfig.Builder config(Path dir) {
        return PstoreConfig.builder().dir(dir).kmsgBytes(16 << 10).recordSize(4 << 10).capacity(2 << 20).reserve(512 << 10);
    }

    /** Writes the store; {@code extra} lines are logged last, just before the dump. */
    static SmallStore write(Path dir, String... extra) {
        Boot.Booted b = Boot.open(config(dir).build());
        try {
            for (int i = 1; i <= 300; i++) {
                b.ring().println("INFO app: tick " + i + " " + "-".repeat(30));
                // a line's uptime has microseconds: a tight loop on a fast core gives several lines one time
                for (long at = System.nanoTime(); System.nanoTime() - at < 2_000; ) {
                    Thread.onSpinWait();
                }
            }
            for (String line : extra) {
                b.ring().println(line);
            }
            long text = b.pmsg().write("checkpoint 1".getBytes(StandardCharsets.UTF_8), 0, 12);
            byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 1};
            long bin = b.pmsg().write(binary, 0, binary.length);
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
            b.console().drain();
            return new SmallStore(dir, text, bin);
        } finally {
            b.close();
        }
    }

    /** Runs the CLI on this store. */
    Cli pstore(String... args) {
        return Cli.run(withDir(args));
    }

    /** Runs the CLI on this store as if stdout were a terminal. */
    Cli onTerminal(String... args) {
        return Cli.onTerminal(withDir(args));
    }

    private String[] withDir(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--dir";
        all[args.length + 1] = dir.toString();
        return all;
    }
}
