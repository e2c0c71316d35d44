package example;

/** Prints, for each class name given, whether the application's class loader can see it. */
public final class VisibilityApp {
    public static void main(String[] args) {
        for (String name : args) {
            boolean seen;
            try {
                Class.forName(name, false, VisibilityApp.class.getClassLoader());
                seen = true;
            } catch (ClassNotFoundException e) {
                seen = false;
            }
            System.out.println(name + " " + (seen ? "visible" : "absent"));
        }
    }
}
