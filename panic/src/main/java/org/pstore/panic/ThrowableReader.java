package org.pstore.panic;

/**
 * How the report reads a throwable's parts that the JDK only hands out as fresh copies:
 * {@code getStackTrace()} always allocates, {@code getSuppressed()} when there are suppressed throwables.
 * The report reads them through this interface only, so that tests can substitute pre-materialised arrays
 * and prove that everything else allocates nothing.
 */
interface ThrowableReader {
    ThrowableReader JDK = new Jdk();

    StackTraceElement[] frames(Throwable t);

    Throwable[] suppressed(Throwable t);

    /** The real thing. */
    final class Jdk implements ThrowableReader {
        @Override
        public StackTraceElement[] frames(Throwable t) {
            return t.getStackTrace();
        }

        @Override
        public Throwable[] suppressed(Throwable t) {
            return t.getSuppressed();
        }
    }
}
