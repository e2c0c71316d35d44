package org.pstore.panic;

/** Formats throwables and stack frames into a {@link LineBuffer} the way the JDK prints them. */
final class Describe {
    private Describe() {
    }

    /**
     * "CLASS: MESSAGE" or "CLASS", like {@code Throwable.toString()} but without allocating (the class
     * name is cached by the JDK once read; reading it the first time, or a message method that throws or
     * recurses, gives a fixed text instead).
     */
    static LineBuffer throwable(LineBuffer line, Throwable t) {
        if (t == null) {
            return line.append("null");
        }
        try {
            line.append(t.getClass().getName());
        } catch (Throwable unavailable) {
            line.append("[class name unavailable]");
        }
        String message;
        try {
            message = t.getMessage();
        } catch (Throwable failed) {
            message = "[message unavailable: getMessage() failed]";
        }
        if (message != null) {
            line.append(": ").append(message);
        }
        return line;
    }

    /** "module/class.method(File.java:42)". */
    static void frame(LineBuffer line, StackTraceElement frame) {
        String module = frame.getModuleName();
        if (module != null) {
            line.append(module).append('/');
        }
        line.append(frame.getClassName()).append('.').append(frame.getMethodName()).append('(');
        String file = frame.getFileName();
        if (frame.isNativeMethod()) {
            line.append("Native Method");
        } else if (file == null) {
            line.append("Unknown Source");
        } else {
            line.append(file);
            if (frame.getLineNumber() >= 0) {
                line.append(':').append(frame.getLineNumber());
            }
        }
        line.append(')');
    }

    /** "\"name\" #id". */
    static LineBuffer thread(LineBuffer line, String name, long id) {
        return line.append('"').append(name).append("\" #").append(id);
    }
}
