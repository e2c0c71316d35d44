package org.pstore.cli;

import java.nio.file.Path;

import org.pstore.reader.PstoreReader;
import picocli.CommandLine.Option;

/** {@code --dir DIR}, shared by every command. */
public final class StoreOption {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:PSTORE_DIR:-pstore-data}",
            description = "The store directory. Default: $PSTORE_DIR if set, else pstore-data in the current directory (now: ${DEFAULT-VALUE}).")
    Path dir;

    public Path dir() {
        return dir;
    }

    /** Opens the store read-only; fails with one line when it is missing, empty, not a store or unreadable. */
    public PstoreReader open() {
        return PstoreReader.open(dir);
    }
}
