package org.pstore.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest ("development" when run from classes). */
public final class VersionProvider implements IVersionProvider {
    /** pstore's version, from the jar's manifest ("development" when run from classes). */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pstore " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
