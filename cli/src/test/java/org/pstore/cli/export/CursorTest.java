package org.pstore.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.pstore.cli.otlp.Selection;
import org.pstore.cli.otlp.Shipped;
import org.pstore.reader.ConsoleTail;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/** The cursor's text, what it selects, and how it moves. */
class CursorTest {
    private static final UUID RUN = UUID.fromString("7d0f3a52-0b8e-4c55-9d1e-2f3a4b5c6d7e");

    private static PstoreRecord pmsg(UUID run, long id) {
        return new PstoreRecord(RecordType.PMSG.code(), "efi", id, Instant.EPOCH, 0, 0, 0, false, 1, run, 42, "h", "j", org.pstore.record.Location.STORE, "k");
    }

    private static ConsoleTail.Batch batch(long position, int checksum) {
        return new ConsoleTail.Batch(position, 1, 1000 + position, checksum, "[    1.000000] line\n");
    }

    @Test
    void idsAreKeptAsRangesAndReadBack() {
        LongRanges r = new LongRanges();
        for (long id : new long[] {5, 3, 4, 9, 1, 10, 2}) {
            r.add(id);
        }
        assertThat(r).hasToString("1-5,9-10");
        assertThat(LongRanges.parse("1-5,9-10")).hasToString("1-5,9-10");
        assertThat(r.contains(5)).isTrue();
        assertThat(r.contains(6)).isFalse();
        assertThatThrownBy(() -> LongRanges.parse("9-10,1-5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LongRanges.parse("5-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCursorSelectsWhatItHasNotSeenAndMovesPastWhatWasShipped() {
        Selection first = Cursor.EMPTY.selection();
        assertThat(first.wanted(pmsg(RUN, 1_000_000_001L))).isTrue();
        Cursor c = Cursor.EMPTY.after(new Shipped(List.of(pmsg(RUN, 1_000_000_001L), pmsg(RUN, 1_000_000_002L)), batch(7, 99), 1),
                List.of(pmsg(RUN, 1_000_000_001L), pmsg(RUN, 1_000_000_002L)), new Cursor.Output(".a.tmp", "a.jsonl", "/x"));
        Cursor read = Cursor.parse(c.text());
        assertThat(read.text()).isEqualTo(c.text());
        assertThat(read.generation()).isEqualTo(1);
        assertThat(read.output()).isEqualTo(new Cursor.Output(".a.tmp", "a.jsonl", "/x"));

        Selection s = read.selection();
        assertThat(s.wanted(pmsg(RUN, 1_000_000_002L))).isFalse();
        assertThat(s.wanted(pmsg(RUN, 1_000_000_003L))).isTrue();
        assertThat(s.wanted(pmsg(UUID.randomUUID(), 1_000_000_001L))).as("same id, another run: a store made anew").isTrue();

        s.saw(batch(6, 1));
        s.saw(batch(7, 99));
        assertThat(s.wanted(batch(7, 99))).isFalse();
        assertThat(s.wanted(batch(8, 5))).isTrue();

        Selection anew = read.selection();
        anew.saw(batch(7, 12345)); // another entry at the anchor's position: not the journal the cursor saw
        assertThat(anew.wanted(batch(3, 1))).isTrue();
    }

    @Test
    void runsTheStoreNoLongerHoldsAreDropped() {
        UUID gone = UUID.randomUUID();
        Cursor c = Cursor.EMPTY.after(new Shipped(List.of(pmsg(gone, 5), pmsg(RUN, 7)), null, 0), List.of(pmsg(RUN, 7)), null);
        assertThat(c.runs()).containsExactly(RUN + " 7");
    }

    @Test
    void aFileThatIsNotACursorIsSaidSo() {
        assertThatThrownBy(() -> Cursor.parse("hello\n")).hasMessageContaining("does not start with 'pstore export cursor 1'");
        assertThatThrownBy(() -> Cursor.parse(Cursor.HEADER + "\ngeneration 1\nrun nope 1-2\n"))
                .hasMessageStartingWith("line 3 ('run nope 1-2') is not understood");
        assertThatThrownBy(() -> Cursor.parse(Cursor.HEADER + "\ngeneration 1\noutput ../x y /d\n")).hasMessageContaining("bad file name");
    }
}
