package charrnn.model;

import org.nd4j.linalg.api.buffer.DataType;

/** The floating-point type of parameters and activations. */
public enum Precision {
    DOUBLE(DataType.DOUBLE, "float64"),
    FLOAT(DataType.FLOAT, "float32");

    private final DataType dataType;
    private final String numpyName;

    Precision(DataType dataType, String numpyName) {
        this.dataType = dataType;
        this.numpyName = numpyName;
    }

    public DataType dataType() {
        return dataType;
    }

    /** numpy's name for it: "float64" or "float32". */
    public String numpyName() {
        return numpyName;
    }

    /** "double" or "float", as the {@code --dtype} option spells it. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
