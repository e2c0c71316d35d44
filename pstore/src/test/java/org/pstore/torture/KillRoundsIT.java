package org.pstore.torture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordType;

/**
 * The torture suite, part 1: kill -9 rounds. A writer JVM writes sequence-numbered pmsg messages and console
 * lines as fast as it can, saying each acknowledged number; it is killed with SIGKILL at a random moment, and
 * the store is read. Every acknowledged message within the retention bound is there exactly once, in order,
 * intact; what retention erased is always the oldest (the kept messages are one run of numbers, ending at
 * the last acknowledged one or the one after); no damaged record is returned; the next writer goes on after
 * the torn tail. The console lines of each run are in order, each once.
 */
class KillRoundsIT {
    /** Small bounds, so that retention and the journal's trimming run within a few rounds. */
    private static final long PMSG_BYTES = 64 << 10;
    private static final long JOURNAL_BYTES = 256 << 10;

    @TempDir
    Path work;

    @Test
    void acknowledgedMessagesSurviveSigkillExactlyOnceInOrder() throws Exception {
        Torture.Report report = Torture.start("kill-rounds");
        Random rnd = report.random();
        int rounds = Torture.scale(20, 500);
        Path store = work.resolve("store");
        report.tried(rounds + " rounds of a pmsg and console writer killed with SIGKILL after 0-400 ms of writing, pmsg budget "
                + PMSG_BYTES + " bytes, journal " + JOURNAL_BYTES + " bytes");
        long next = 1;
        long maxPayload = "seq ".length() + 20 + 37;
        for (int round = 1; round <= rounds; round++) {
            JvmFork.Child w = JvmFork.of(KillRoundsApp.class, work).jvmArg("-XX:TieredStopAtLevel=1")
                    .arg(store.toString(), Long.toString(next), Long.toString(PMSG_BYTES), Long.toString(JOURNAL_BYTES)).start();
            if (!w.awaitOutput("ack " + next + "\n", 60)) {
                w.kill();
                throw report.fail("round " + round + ": the writer never acknowledged its first message; stderr: " + w.err());
            }
            Thread.sleep(rnd.nextInt(400));
            w.kill();
            long acked = lastAck(w.out());
            String round0 = "round " + round + " (acked " + next + ".." + acked + ")";
            try (PstoreReader r = PstoreReader.open(store)) {
                report.quietly(r.problems().isEmpty(), round0 + ": no damaged record or file: " + r.problems());
                List<long[]> seqs = new ArrayList<>(); // {id, seq}
                boolean intact = true;
                for (PstoreRecord p : r.records()) {
                    if (p.type() != RecordType.PMSG) {
                        continue;
                    }
                    Payload payload = r.payload(p);
                    String text = payload == null ? null : payload.text();
                    long seq = seq(text);
                    intact &= seq > 0 && text.equals("seq " + seq + " " + "x".repeat((int) (seq % 37)));
                    seqs.add(new long[] {p.id(), seq});
                }
                seqs.sort((a, b) -> Long.compare(a[0], b[0]));
                report.quietly(intact, round0 + ": every pmsg intact");
                boolean oneRun = true;
                for (int i = 1; i < seqs.size(); i++) {
                    oneRun &= seqs.get(i)[1] == seqs.get(i - 1)[1] + 1;
                }
                long lo = seqs.isEmpty() ? 0 : seqs.get(0)[1];
                long hi = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1)[1];
                report.quietly(oneRun, round0 + ": the kept messages are one run of numbers, each once, in record order (" + lo + ".." + hi
                        + ", " + seqs.size() + " kept)");
                report.quietly(hi == acked || hi == acked + 1, round0 + ": the newest kept is the last acknowledged or the one after: " + hi);
                long perMessage = maxPayload + RecordFormat.MAX_HEADER;
                report.quietly(lo == 1 || (seqs.size() + 2) * perMessage >= PMSG_BYTES,
                        round0 + ": retention erased only what the budget needed: " + seqs.size() + " kept of budget " + PMSG_BYTES);
                report.quietly(consoleInOrder(r), round0 + ": console lines of every run in order, each once");
                next = hi + 1; // the next writer goes on after what the store holds (the torn tail included)
            }
        }
        report.say(rounds + " rounds, last message " + (next - 1));
        report.end();
    }

    private static boolean consoleInOrder(PstoreReader r) {
        for (PstoreRecord c : r.records()) {
            if (c.type() != RecordType.CONSOLE) {
                continue;
            }
            Payload p = r.payload(c);
            if (p == null) {
                return false;
            }
            long last = -1;
            for (String line : p.text().split("\n")) {
                int at = line.indexOf("] line ");
                if (at < 0) {
                    continue;
                }
                long n = Long.parseLong(line.substring(at + 7).trim());
                if (n <= last) {
                    return false;
                }
                last = n;
            }
        }
        return true;
    }

    private static long seq(String text) {
        if (text == null || !text.startsWith("seq ")) {
            return -1;
        }
        int sp = text.indexOf(' ', 4);
        try {
            return Long.parseLong(text.substring(4, sp < 0 ? text.length() : sp));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long lastAck(String out) {
        long last = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("ack ") && line.length() > 4) {
                try {
                    last = Long.parseLong(line.substring(4).trim());
                } catch (NumberFormatException e) {
                    // a line cut by the kill
                }
            }
        }
        return last;
    }
}
