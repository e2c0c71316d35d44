package example;

/** Prints on System.out. Args: mode (see {@link Apps}). */
public final class StdoutApp {
    public static void main(String[] args) throws Exception {
        Apps.run(args[0], i -> System.out.println("line " + i), System.out::println);
    }
}
