package org.pstore.agent.arming;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.pstore.core.store.JvmFlags;

/**
 * Does for the agent's own module what the JVM flags Chronicle needs would do (the lists in
 * {@link JvmFlags}, from the parent pom), so the user adds none: each {@code --add-opens} and
 * {@code --add-exports} through {@link Instrumentation#redefineModule}, and on Java 23+ the two flags the JDK
 * would otherwise warn about: native access for unnamed modules (as {@code --enable-native-access=ALL-UNNAMED};
 * the JDK keeps one such switch for all of them) and no warning for {@code sun.misc.Unsafe} memory access
 * (as {@code --sun-misc-unsafe-memory-access=allow}). A flag of the list that it does not know how to apply
 * stops arming with a line naming it, so the lists stay the one place.
 */
final class ModuleOpener {
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";

    private ModuleOpener() {
    }

    static void open(Instrumentation inst, Module to) {
        for (String pair : JvmFlags.opens()) {
            target(pair).ifPresent(t -> {
                if (!t.module.isOpen(t.pkg, to)) {
                    inst.redefineModule(t.module, Set.of(), Map.of(), Map.of(t.pkg, Set.of(to)), Set.of(), Map.of());
                }
            });
        }
        for (String pair : JvmFlags.exports()) {
            target(pair).ifPresent(t -> {
                if (!t.module.isExported(t.pkg, to)) {
                    inst.redefineModule(t.module, Set.of(), Map.of(t.pkg, Set.of(to)), Map.of(), Set.of(), Map.of());
                }
            });
        }
        for (String flag : JvmFlags.modern(Runtime.version().feature())) {
            switch (flag) {
                case NATIVE_ACCESS -> enableNativeAccess(to);
                case UNSAFE_ALLOW -> quietUnsafe(inst, to);
                default -> throw new IllegalStateException("the agent cannot apply the JVM flag " + flag + "; start java with it");
            }
        }
    }

    /**
     * Java 22+: what the launcher does for the flag, Module.implAddEnableNativeAccessToAllUnnamed (the JDK
     * keeps one switch for every unnamed module), reachable since java.lang is opened above.
     */
    private static void enableNativeAccess(Module to) {
        try {
            Method enabled = Module.class.getMethod("isNativeAccessEnabled");
            if ((Boolean) enabled.invoke(to)) {
                return;
            }
            Method enable = to.isNamed() ? Module.class.getDeclaredMethod("implAddEnableNativeAccess")
                    : Module.class.getDeclaredMethod("implAddEnableNativeAccessToAllUnnamed");
            enable.setAccessible(true);
            enable.invoke(to.isNamed() ? to : null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot enable native access (" + e + "); start java with " + NATIVE_ACCESS, e);
        }
    }

    /**
     * Java 24+ warns once, at the first memory access through sun.misc.Unsafe (Chronicle's), unless started
     * with {@code allow}; marking that warning as given is what {@code allow} means for output.
     */
    private static void quietUnsafe(Instrumentation inst, Module to) {
        try {
            Class<?> unsafe = Class.forName("sun.misc.Unsafe");
            Field warned;
            try {
                warned = unsafe.getDeclaredField("memoryAccessWarned");
            } catch (NoSuchFieldException olderJdk) {
                return; // Java 23: nothing warns yet
            }
            Module m = unsafe.getModule();
            if (!m.isOpen("sun.misc", to)) {
                inst.redefineModule(m, Set.of(), Map.of(), Map.of("sun.misc", Set.of(to)), Set.of(), Map.of());
            }
            warned.setAccessible(true);
            warned.setBoolean(null, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot allow sun.misc.Unsafe memory access (" + e + "); start java with " + UNSAFE_ALLOW, e);
        }
    }

    private static Optional<Target> target(String pair) {
        int slash = pair.indexOf('/');
        return ModuleLayer.boot().findModule(pair.substring(0, slash)).map(m -> new Target(m, pair.substring(slash + 1)));
    }

    private record Target(Module module, String pkg) {
    }
}
