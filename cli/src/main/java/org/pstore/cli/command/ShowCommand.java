package org.pstore.cli.command;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

import org.pstore.cli.CliException;
import org.pstore.cli.output.Escaping;
import org.pstore.panic.DumpReason;
import org.pstore.reader.ConsoleTail;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.reader.WallClock;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print a record's payload, decompressed.",
            "A whole crash dump, all its parts oldest first: show --panic N (or --oops N)."},
        usageHelpAutoWidth = true)
public final class ShowCommand extends StoreCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID|NAME", description = "A record id (3000000007) or name (dmesg-efi-3000000007).")
        String record;

        @Option(names = "--panic", paramLabel = "N", description = "Every part of Panic#N, oldest first.")
        Integer panic;

        @Option(names = "--oops", paramLabel = "N", description = "Every part of Oops#N, oldest first.")
        Integer oops;
    }

    @Option(names = "--raw", description = "The payload exactly as stored (compressed dmesg parts stay compressed): "
            + "bytes as they are, control characters included; compressed or binary payloads only to a file or a pipe.")
    boolean raw;

    private WallClock clock;

    @Override
    public Integer call() throws IOException {
        try (PstoreReader reader = store().open()) {
            List<PstoreRecord> records;
            if (which.record != null) {
                records = List.of(reader.find(which.record).orElseThrow(() ->
                        new CliException("no record " + which.record + " in " + store().dir() + " (see: " + command("list") + ")")));
            } else {
                DumpReason reason = which.panic != null ? DumpReason.PANIC : DumpReason.OOPS;
                int n = which.panic != null ? which.panic : which.oops;
                records = reader.dumpParts(reason, n);
                if (records.isEmpty()) {
                    throw new CliException("no " + (which.panic != null ? "Panic#" : "Oops#") + n + " in " + store().dir() + " (see: " + command("list") + ")");
                }
            }
            for (PstoreRecord r : records) {
                print(reader, r);
            }
            return warnings(reader);
        }
    }

    private void print(PstoreReader reader, PstoreRecord r) throws IOException {
        if (r.type() == RecordType.HSERR && !raw) {
            printHsErr(reader, r);
            return;
        }
        if (raw) {
            printRaw(reader, r);
            return;
        }
        Payload p = reader.payload(r);
        if (p == null) {
            throw vanished(r);
        }
        if (p.stillCompressed()) {
            err().println("pstore: warning: " + r.name() + " does not decompress; shown as stored (" + r.name() + ".enc.z)");
            err().flush();
        }
        String text = p.stillCompressed() ? null : p.text();
        if (text != null) {
            text = clockFor(reader, r).renderAll(text);
            text().print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
            text().flush();
        } else if (terminal()) {
            text().println(Escaping.escapeBytes(p.bytes())); // not text: a terminal gets it escaped, never as bytes
            text().flush();
        } else {
            bytes(p.bytes());
        }
    }

    /**
     * How to tell the UTC time of the lines of {@code r}: a crash report's Time: line in any part of its dump,
     * else the dump's own time, taken just after the newest line of its Part#1; for a console record, its
     * journal batches. Computed once per command.
     */
    private WallClock clockFor(PstoreReader reader, PstoreRecord r) {
        if (clock != null) {
            return clock;
        }
        clock = new WallClock();
        if (r.type() == RecordType.CONSOLE) {
            try (ConsoleTail tail = ConsoleTail.open(reader.dir())) {
                tail.poll(line -> { });
                clock = tail.clock(r.bootNumber());
            } catch (RuntimeException e) {
                // no journal to read the times from: lines keep their uptime only
            }
        } else if (r.type() == RecordType.DMESG) {
            List<PstoreRecord> parts = reader.dumpParts(r.reason(), r.count());
            for (PstoreRecord part : parts) {
                String text = textOf(reader, part);
                if (text != null && clock.reportsIn(text).known()) {
                    return clock;
                }
            }
            parts.stream().filter(p -> p.part() == 1).findFirst().ifPresent(newest -> {
                String text = textOf(reader, newest);
                long last = text == null ? -1 : WallClock.lastUptime(text);
                if (last >= 0) {
                    clock.writtenAfter(newest.time().toEpochMilli(), last);
                }
            });
        }
        return clock;
    }

    /** An ingested hs_err file, whichever of its parts was named: every part, put back together, byte for byte. */
    private void printHsErr(PstoreReader reader, PstoreRecord r) {
        byte[] file = org.pstore.reader.LastRuns.hsErrFile(reader, r);
        if (file == null) {
            throw new CliException(r.name() + " is part of an hs_err file whose parts are not all there (see: " + command("list --type hserr") + ")");
        }
        if (terminal()) {
            text().print(Escaping.escape(new String(file, java.nio.charset.StandardCharsets.UTF_8)));
            text().flush();
        } else {
            bytes(file);
        }
    }

    private static String textOf(PstoreReader reader, PstoreRecord r) {
        Payload p = reader.payload(r);
        return p == null || p.stillCompressed() ? null : p.text();
    }

    /** As stored: bytes to a file or a pipe; a terminal gets text only (compressed or binary bytes are refused). */
    private void printRaw(PstoreReader reader, PstoreRecord r) throws IOException {
        byte[] bytes = reader.stored(r);
        if (bytes == null) {
            throw vanished(r);
        }
        boolean text = !r.compressed() && new Payload(bytes, false).text() != null;
        if (!text && terminal()) {
            throw new CliException(r.name() + " is " + (r.compressed() ? "compressed" : "binary") + " (" + bytes.length
                    + " bytes as stored) and stdout is a terminal; send it to a file: " + command("show --raw " + r.name()) + " > FILE");
        }
        bytes(bytes);
    }

    private void bytes(byte[] bytes) {
        text().flush();
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
    }

    private static CliException vanished(PstoreRecord r) {
        return new CliException("record " + r.name() + " vanished while it was read (erased meanwhile?)");
    }
}
