package org.pstore.cli.otlp;

import org.pstore.reader.ConsoleTail;
import org.pstore.record.PstoreRecord;

/** Which records and console journal entries an export takes: all of them, or what a cursor has not seen. */
public interface Selection {
    /** Everything in the store. */
    Selection ALL = new Selection() {
        @Override
        public boolean wanted(PstoreRecord r) {
            return true;
        }

        @Override
        public boolean wanted(ConsoleTail.Batch b) {
            return true;
        }
    };

    boolean wanted(PstoreRecord r);

    /** Called for every journal entry, in order, before any {@link #wanted(ConsoleTail.Batch)}. */
    default void saw(ConsoleTail.Batch b) {
    }

    boolean wanted(ConsoleTail.Batch b);
}
