package lab.d2c.api.report.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/** PNG encoding of charts and images, headless: the API runs on servers without a display. */
final class Png {

    static {
        // before any AWT class initialises its toolkit; the API never opens a window
        System.setProperty("java.awt.headless", "true");
    }

    /** The charts' size in pixels (16:9, readable on the sweep page and in a document). */
    static final int CHART_WIDTH = 960;
    static final int CHART_HEIGHT = 540;

    private Png() {
    }

    /** A chart drawn at {@link #CHART_WIDTH} x {@link #CHART_HEIGHT}. */
    static byte[] chart(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setBackgroundPaint(Color.WHITE);
            xy.setDomainGridlinePaint(new Color(0xDDDDDD));
            xy.setRangeGridlinePaint(new Color(0xDDDDDD));
        }
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, CHART_WIDTH, CHART_HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] image(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
