package org.pstore.cli.command;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;

import org.pstore.reader.ConsoleTail;
import org.pstore.reader.PstoreReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print the console journal's last lines; with -f, keep printing as the application logs.",
            "Each line is shown with its UTC time before its uptime (see the README on how it is derived)."},
        usageHelpAutoWidth = true)
public final class TailCommand extends StoreCommand implements Callable<Integer> {
    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", converter = LineCount.class,
            description = "How many lines (default ${DEFAULT-VALUE}; 0 for all).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep reading new lines until interrupted.")
    boolean follow;

    /** A count of lines: 0 or more. */
    static final class LineCount implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a number of lines (0 or more; 0 for all)");
        }
    }

    @Override
    public Integer call() {
        try (PstoreReader reader = store().open(); ConsoleTail tail = ConsoleTail.open(store().dir())) {
            // the runs whose console record was erased are not shown, as list does not show them
            java.util.Set<Long> erased = reader.erasedConsoleRuns();
            Deque<ConsoleTail.Line> last = new ArrayDeque<>();
            tail.poll(line -> {
                if (erased.contains(line.boot())) {
                    return;
                }
                last.addLast(line);
                if (lines > 0 && last.size() > lines) {
                    last.removeFirst();
                }
            });
            last.forEach(line -> text().println(tail.clock(line.boot()).render(line.text())));
            text().flush();
            while (follow && !Thread.currentThread().isInterrupted()) {
                if (tail.poll(line -> {
                    if (!erased.contains(line.boot())) {
                        text().println(tail.clock(line.boot()).render(line.text()));
                    }
                }) > 0) {
                    text().flush();
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (tail.damaged() > 0) {
                err().println("pstore: warning: " + tail.damaged() + " damaged console lines skipped");
                err().flush();
                return 1;
            }
            return 0;
        }
    }
}
