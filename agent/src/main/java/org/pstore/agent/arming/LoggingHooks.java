package org.pstore.agent.arming;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.function.Consumer;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Attaches pstore's capture to the application's Logback and Log4j2 without touching its configuration.
 * Their {@code LoggerContext} constructors, and Logback's {@code reset()} (a {@code stop()}, as Spring Boot
 * does before it reconfigures, removes every listener), are rewritten (ASM, when the class loads) to end with a call to
 * {@code LoggingHook} (beside the entry points on the system class path; a loader that cannot see it is
 * left alone), which hands each new context to {@link #created}: the capture
 * appender is installed there with its reset (Logback) or reconfiguration (Log4j2) listener, so it is on
 * the root logger from the context's first configuration on, and after every later one. Contexts that
 * exist already (the agent attached to a running JVM) are found through SLF4J's and Log4j2's factories.
 * Class loads are watched only when there is something to find (Logback or Log4j2 on the class path, or
 * Spring Boot's launcher, whose nested jars hold them) and only until the first context is made: the JVM
 * calls every transformer for every class it loads, and while the heap is exhausted the JDK's instrument
 * library prints an error for each (it cannot make the class name's String). So an application gets its
 * first logging library captured; one that starts a second library later gets that one uncaptured. Nothing here throws into the
 * application: a context pstore cannot attach to just goes uncaptured.
 */
final class LoggingHooks implements ClassFileTransformer {
    static final String LOGBACK = "ch/qos/logback/classic/LoggerContext";
    static final String LOG4J2 = "org/apache/logging/log4j/core/LoggerContext";
    static final String HOOK = "org/pstore/agent/hook/LoggingHook";
    /** Attached while SLF4J initialises on another thread: how long its context is waited for. */
    private static final long SLF4J_WAIT_MILLIS = 60_000;

    private final Instrumentation inst;
    private final ClassLoader bundle;
    private final Class<?> hook;
    /** One bridge per LoggerContext class, kept on the class itself: a web application's loader can still be unloaded. */
    private final ClassValue<BridgeLoader> bridges = new ClassValue<>() {
        @Override
        protected BridgeLoader computeValue(Class<?> context) {
            return new BridgeLoader(context.getClassLoader(), bundle);
        }
    };

    private LoggingHooks(Instrumentation inst, ClassLoader bundle, Class<?> hook) {
        this.inst = inst;
        this.bundle = bundle;
        this.hook = hook;
    }

    /** Points the hook here and rewrites contexts from now on; attached to a running JVM, also the contexts in use. */
    static LoggingHooks install(Instrumentation inst, boolean attached) {
        Class<?> hook;
        try {
            // beside the entry points, on the system class path: the one place the application's loaders all reach
            hook = Class.forName(HOOK.replace('/', '.'), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the logging hook is missing from the agent jar", e);
        }
        LoggingHooks hooks = new LoggingHooks(inst, LoggingHooks.class.getClassLoader(), hook);
        try {
            Consumer<Object> created = hooks::created;
            hook.getField("created").set(null, created);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the logging hook is not usable: " + e, e);
        }
        if (attached || worthWatching(ClassLoader.getSystemClassLoader())) {
            inst.addTransformer(hooks, true);
        }
        if (attached) {
            hooks.present(inst);
        }
        return hooks;
    }

    /** Whether a LoggerContext may ever load: the libraries on the class path, or a launcher of nested jars. */
    static boolean worthWatching(ClassLoader system) {
        for (String r : new String[] {LOGBACK + ".class", LOG4J2 + ".class",
            "org/springframework/boot/loader/launch/JarLauncher.class", "org/springframework/boot/loader/JarLauncher.class"}) {
            if (system.getResource(r) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader == null || (!LOGBACK.equals(className) && !LOG4J2.equals(className))) {
            return null;
        }
        try {
            if (Class.forName(hook.getName(), false, loader) != hook) {
                return null; // a loader that does not reach the system class path: rewritten, its context could not start
            }
            return weave(bytes, LOGBACK.equals(className));
        } catch (Throwable t) {
            return null; // left as it was: that library goes uncaptured
        }
    }

    /** Adds {@code LoggingHook.created(this)} before every return of every constructor (and of {@code reset()}). */
    static byte[] weave(byte[] bytes, boolean reset) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!"<init>".equals(name) && !(reset && "reset".equals(name) && "()V".equals(descriptor))) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.RETURN) {
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "created", "(Ljava/lang/Object;)V", false);
                        }
                        super.visitInsn(opcode);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** A context was made (or found): install the capture for its library. Idempotent per context. */
    void created(Object context) {
        Class<?> type = contextClass(context.getClass());
        if (type == null) {
            return;
        }
        stopWatching();
        String integration = type.getName().startsWith("ch.qos.logback.")
                ? "org.pstore.capture.logback.LogbackCapture" : "org.pstore.capture.log4j2.Log4j2Capture";
        try {
            Class<?> capture = Class.forName(integration, true, bridges.get(type));
            capture.getMethod("install", type).invoke(null, context);
        } catch (ReflectiveOperationException | LinkageError e) {
            // not this library version: uncaptured
        }
    }

    /** No more class loads to watch (see the class comment). */
    void stopWatching() {
        inst.removeTransformer(this);
    }

    private static Class<?> contextClass(Class<?> c) {
        for (; c != null; c = c.getSuperclass()) {
            String n = c.getName().replace('.', '/');
            if (n.equals(LOGBACK) || n.equals(LOG4J2)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Hands over the context SLF4J is bound to, if it is one of {@code context}'s; false while SLF4J answers with
     * its substitute factory: another thread is still initialising it (the application's first log line, at the
     * moment of the attach), and that context was made before its class was rewritten.
     */
    private boolean boundBySlf4j(Class<?> context) throws ReflectiveOperationException {
        Object factory = Class.forName("org.slf4j.LoggerFactory", true, context.getClassLoader())
                .getMethod("getILoggerFactory").invoke(null);
        if (context.isInstance(factory)) {
            created(factory);
            return true;
        }
        return factory != null && !factory.getClass().getName().equals("org.slf4j.helpers.SubstituteLoggerFactory");
    }

    /** Asks SLF4J again until its initialisation (on another thread) is over, off the arming thread, for a minute at most. */
    private void awaitSlf4j(Class<?> context) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + SLF4J_WAIT_MILLIS * 1_000_000L;
            try {
                while (!boundBySlf4j(context) && System.nanoTime() - deadline < 0) {
                    Thread.sleep(10);
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException | InterruptedException e) {
                // that context goes uncaptured
            }
        }, "pstore-logback-attach");
        t.setDaemon(true);
        t.start();
    }

    /** Attached to a running JVM: rewrite the context classes already loaded, and attach to the contexts in use. */
    private void present(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String n = c.getName().replace('.', '/');
            if (!n.equals(LOGBACK) && !n.equals(LOG4J2)) {
                continue;
            }
            try {
                if (inst.isModifiableClass(c)) {
                    inst.retransformClasses(c);
                }
            } catch (Throwable t) {
                // new contexts of this loader go uncaptured; the existing ones are attached below
            }
            try {
                if (n.equals(LOGBACK)) {
                    if (!boundBySlf4j(c)) {
                        awaitSlf4j(c);
                    }
                } else {
                    Object factory = Class.forName("org.apache.logging.log4j.LogManager", true, c.getClassLoader())
                            .getMethod("getFactory").invoke(null);
                    Object selector = factory.getClass().getMethod("getSelector").invoke(factory);
                    for (Object ctx : (Iterable<?>) selector.getClass().getMethod("getLoggerContexts").invoke(selector)) {
                        created(ctx);
                    }
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // no factory of the usual kind: those contexts go uncaptured
            }
        }
    }
}
