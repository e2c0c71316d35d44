package org.pstore.cli.otlp;

import java.util.List;

import org.pstore.reader.ConsoleTail;
import org.pstore.record.PstoreRecord;

/**
 * What one export took from the store: the records it wrote (dump parts, pmsg; console lines go by journal
 * entry), the last journal entry it read (null when the journal holds none), and how many lines of the
 * journal it wrote.
 */
public record Shipped(List<PstoreRecord> records, ConsoleTail.Batch lastBatch, long consoleLines) {
    public boolean nothing() {
        return records.isEmpty() && consoleLines == 0;
    }
}
