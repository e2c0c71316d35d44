package org.pstore.panic;

/** Formats throwables and stack frames into a {@link LineBuffer} the way the JDK prints them. */
final class Describe {
    private Describe() {
    }

    /** "CLASS: MESSAGE" or "CLASS", like {@code Throwable.toString()} but without allocating. */
    static void throwable(LineBuffer line, Throwable t) {
        if (t == null) {
            line.append("null");
            return;
        }
        line.append(t.getClass().getName());
        String message;
        try {
            message = t.getMessage();
        } catch (Throwable failed) {
            message = "[message unavailable]";
        }
        if (message != null) {
            line.append(": ").append(message);
        }
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
    static void thread(LineBuffer line, String name, long id) {
        line.append('"').append(name).append("\" #").append(id);
    }
}
