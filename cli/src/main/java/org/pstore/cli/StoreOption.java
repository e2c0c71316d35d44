package org.pstore.cli;

import java.nio.file.Path;

import org.pstore.reader.PstoreReader;

/** The store a command works on: {@code --dir DIR}, an option of the top command that every command inherits. */
public final class StoreOption {
    private final Path dir;

    StoreOption(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Opens the store read-only; fails with one line when it is missing, empty, not a store or unreadable. */
    public PstoreReader open() {
        return PstoreReader.open(dir);
    }
}
