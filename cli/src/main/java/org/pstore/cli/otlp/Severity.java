package org.pstore.cli.otlp;

import org.pstore.panic.DumpReason;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/** OpenTelemetry's severity of a record: its SeverityNumber (written as an integer) and its text. */
public enum Severity {
    UNSPECIFIED(0),
    INFO(9),
    ERROR(17),
    FATAL(21);

    private final int number;

    Severity(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The short name OpenTelemetry gives the number ("FATAL"); null for UNSPECIFIED. */
    public String text() {
        return this == UNSPECIFIED ? null : name();
    }

    /**
     * A panic or an emergency dump is fatal, an oops an error; shutdown dumps, pmsg and console lines are
     * information; an ingested hs_err file is fatal (the JVM died of it), how a run ended is information.
     */
    public static Severity of(PstoreRecord r) {
        RecordType type = r.type();
        if (type == RecordType.PMSG || type == RecordType.CONSOLE || type == RecordType.ENDING) {
            return INFO;
        }
        if (type == RecordType.HSERR) {
            return FATAL;
        }
        if (type != RecordType.DMESG) {
            return UNSPECIFIED;
        }
        try {
            return switch (DumpReason.ofCode(r.reason())) {
                case PANIC, EMERG -> FATAL;
                case OOPS -> ERROR;
                case SHUTDOWN -> INFO;
                case UNDEF -> UNSPECIFIED;
            };
        } catch (IllegalArgumentException e) {
            return UNSPECIFIED; // a reason this version does not know
        }
    }
}
