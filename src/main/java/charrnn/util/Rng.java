package charrnn.util;

/**
 * The one seeded random generator of a run (SplitMix64): weight init and sampling both draw from it,
 * so the same seed gives the same run. Its whole state is one {@code long}, so a checkpoint can save it
 * and a resumed run continues the exact stream.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The generator's whole state; {@code new Rng(state())} continues the same stream. */
    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal by Box-Muller, one value per call. StrictMath, so the value does not depend on
     * the platform or on JIT state.
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();   // (0, 1], keeps log finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }
}
