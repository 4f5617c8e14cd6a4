package charrnn.numeric;

/** Whether the JVM has the incubating Vector API (the launcher and the tests add it); else scalar loops. */
public final class VectorApi {
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }
}
