package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link PanicClasses} complete: every class named in the constant pool of any class of this module
 * (JDK classes, and this package's own) must be resolved when a machine is armed, or the panic path may
 * run Java class loading code, which allocates, when the heap is exhausted.
 */
class PanicClassesTest {

    @Test
    void everyClassTheModuleNamesIsResolvedWhenArmed() throws Exception {
        Path classes = Path.of(PanicMachine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes).as("the module's classes as a directory (surefire layout)").isDirectory();
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("org/pstore/panic"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList())) {
                try (InputStream in = Files.newInputStream(file)) {
                    named.addAll(classConstants(in));
                }
            }
        }
        // the trigger package's own classes (and their arrays) are loaded by Triggers.install
        named.removeIf(name -> name.replaceFirst("^\\[+L", "").startsWith("org/pstore/panic/trigger/")
                || name.endsWith("package-info"));
        Set<String> resolved = Arrays.stream(PanicClasses.resolved())
                .map(c -> c.getName().replace('.', '/'))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(named).isNotEmpty().contains("java/lang/VirtualMachineError", "org/pstore/panic/PanicMachine");
        assertThat(resolved).as("PanicClasses must list every class the module names").containsAll(named);
    }

    /** The names of the CONSTANT_Class entries of a class file (JVMS 4.4). */
    private static Set<String> classConstants(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        in.readInt(); // magic
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1:
                    utf8[i] = in.readUTF();
                    break;
                case 7:
                    classNameIndex[i] = in.readUnsignedShort();
                    break;
                case 8: case 16: case 19: case 20:
                    in.readUnsignedShort();
                    break;
                case 15:
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                    in.readInt();
                    break;
                case 5: case 6:
                    in.readLong();
                    i++;
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> names = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            if (classNameIndex[i] != 0) {
                names.add(utf8[classNameIndex[i]]);
            }
        }
        return names;
    }
}
