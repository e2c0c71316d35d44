package example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Another agent of the application's, whose {@code premain} takes its time (the milliseconds its option names):
 * the JVM is still being created all that while. Marks its start and its end with files {@code premain-started}
 * and {@code premain-done} in the working directory.
 */
public final class SlowPremain {
    private SlowPremain() {
    }

    public static void premain(String millis) throws Exception {
        Files.writeString(Path.of("premain-started"), "");
        Thread.sleep(Long.parseLong(millis));
        Files.writeString(Path.of("premain-done"), "");
    }

    /** Writes this agent's jar (its manifest and this class) to {@code jar}. */
    public static Path jar(Path jar) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", SlowPremain.class.getName());
        String entry = SlowPremain.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m);
             InputStream in = SlowPremain.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
        return jar;
    }
}
