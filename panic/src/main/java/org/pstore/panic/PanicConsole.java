package org.pstore.panic;

/** Where the panic report is printed (pstore registers its in-memory log ring here). */
@FunctionalInterface
public interface PanicConsole {
    /**
     * Called on the panicking thread; implementations must not allocate or block. One line, no line
     * terminator. The sequence is only valid during the call: copy the characters, do not keep it.
     */
    void println(CharSequence line);
}
