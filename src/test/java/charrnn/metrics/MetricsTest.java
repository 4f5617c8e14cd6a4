package charrnn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void aNewRunMovesTheOldLogAsideAndAResumedRunAppends() throws IOException {
        try (MetricsLog log = MetricsLog.start(dir)) {
            log.row(0, 4.4, 4.3, 4.2, 100, 1.5);
            log.sample(0, 110.0, "abc");
        }
        try (MetricsLog log = MetricsLog.resume(dir)) {
            assertEquals(1.5, log.elapsedBefore());
            log.row(100, 4.0, 3.9, Double.NaN, 200, 2.5);
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.METRICS));
        assertEquals(List.of(MetricsLog.HEADER, "0,4.400000,4.300000,4.200000,100,1.5", "100,4.000000,3.900000,,200,2.5"),
                lines);
        try (MetricsLog log = MetricsLog.start(dir)) {
            log.row(0, 4.4, 4.4, Double.NaN, 1, 0.1);
        }
        assertEquals(lines, Files.readAllLines(dir.resolve("metrics-1.csv")), "the old log is kept");
        assertEquals(2, Files.readAllLines(dir.resolve(MetricsLog.METRICS)).size());
        assertTrue(Files.readString(dir.resolve("samples-1.txt")).startsWith("iter 0, loss: 110.000000\nabc\n"));
    }

    @Test
    void drawsAPngOfTheExpectedSizeHeadless() throws IOException {
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, MetricsLog.HEADER + "\n0,4.4,4.4,4.3,10,0.1\n100,3.9,3.5,,10,0.2\n200,3.5,3.1,3.2,10,0.3\n");
        Path png = dir.resolve("out/loss.png");
        LossPlot.draw(csv, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LossPlot.WIDTH, image.getWidth());
        assertEquals(LossPlot.HEIGHT, image.getHeight());
        assertTrue(java.awt.GraphicsEnvironment.isHeadless());
    }

    @Test
    void refusesFilesThatAreNotOurs() throws IOException {
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b,c\n1,2,3\n");
        assertTrue(assertThrows(LossPlot.BadMetricsException.class, () -> LossPlot.draw(other, dir.resolve("x.png")))
                .getMessage().contains("is not a charrnn metrics file"));
        Path corrupt = Files.writeString(dir.resolve("corrupt.csv"), MetricsLog.HEADER + "\n0,4.4,4.4,,10,0.1\n1,x\n");
        assertTrue(assertThrows(LossPlot.BadMetricsException.class, () -> LossPlot.draw(corrupt, dir.resolve("x.png")))
                .getMessage().endsWith("is corrupt: line 3 is not a row of numbers"));
        Path binary = Files.write(dir.resolve("bin.csv"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1});
        assertTrue(assertThrows(LossPlot.BadMetricsException.class, () -> LossPlot.draw(binary, dir.resolve("x.png")))
                .getMessage().contains("is not a charrnn metrics file"));
        assertTrue(!Files.exists(dir.resolve("x.png")), "nothing written");
    }

    @Test
    void aResumedRunAppendsOnlyToALogThatIsOurs() throws IOException {
        Files.writeString(dir.resolve(MetricsLog.METRICS), "something else\n", StandardCharsets.UTF_8);
        try (MetricsLog log = MetricsLog.resume(dir)) {
            assertEquals(0, log.elapsedBefore());
        }
        assertEquals("something else\n", Files.readString(dir.resolve("metrics-1.csv")));
        assertEquals(MetricsLog.HEADER, Files.readAllLines(dir.resolve(MetricsLog.METRICS)).get(0));
    }
}
