package org.pstore.cli;

import java.util.LinkedHashSet;
import java.util.Set;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Picocli's bash/zsh completion script for {@code pstore}, registered for {@code pstore} on the PATH and for
 * the launcher as it was run ({@code bin/pstore}, {@code ./bin/pstore}, or the path typed).
 */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script: source <(${ROOT-COMMAND-NAME} generate-completion).",
            "It completes pstore (put bin/pstore on the PATH, e.g. ln -s \"$PWD/bin/pstore\" ~/.local/bin/pstore) and bin/pstore."})
public final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        String script = AutoComplete.bash("pstore", new CommandLine(new PstoreCommand(false)));
        Set<String> names = new LinkedHashSet<>();
        names.add("bin/pstore");
        names.add("./bin/pstore");
        names.add(spec.root().name());
        names.remove("pstore");
        CommandLine cl = spec.commandLine();
        cl.getOut().print(script);
        cl.getOut().println("complete -F _complete_pstore -o default " + String.join(" ", names));
        cl.getOut().flush();
    }
}
