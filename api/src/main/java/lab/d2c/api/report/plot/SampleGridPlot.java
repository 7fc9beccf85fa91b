package lab.d2c.api.report.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An arm's samples by class: column c holds class c, row i its i-th sample (in the order the sampling node
 * wrote them), up to {@link #CLASSES} x {@link #PER_CLASS}; a class with fewer samples leaves its lower
 * cells grey, and the caller says so in the title. Each image is scaled by a whole factor (nearest
 * neighbour: the pixels the model made, not a smoothing of them). Size: {@link #width} x {@link #height}.
 */
public final class SampleGridPlot {

    public static final int CLASSES = 10;
    public static final int PER_CLASS = 10;
    static final int GAP = 2;
    /** Three title lines (arm, what the grid holds, what it lacks) and the class numbers above the columns. */
    static final int TOP = 68;
    /** Wide enough for the title when the images are small. */
    static final int MIN_WIDTH = 420;
    private static final Color EMPTY = new Color(0xD0D0D0);

    /**
     * Images by class.
     *
     * @param byClass class to its images, each uint8 [C, H, W] (C 1 or 3)
     */
    public record Grid(int channels, int height, int width, List<List<byte[]>> byClass) {

        /** The fewest samples any class has (what a title must admit when it is under {@link #PER_CLASS}). */
        public int fewest() {
            return byClass.stream().mapToInt(List::size).min().orElse(0);
        }
    }

    private SampleGridPlot() {
    }

    /** The whole factor each image is enlarged by: about 64 px a cell. */
    static int scale(Grid g) {
        return Math.max(1, 64 / Math.max(g.height(), g.width()));
    }

    public static int width(Grid g) {
        return Math.max(MIN_WIDTH, GAP + g.byClass().size() * (g.width() * scale(g) + GAP));
    }

    public static int height(Grid g) {
        return TOP + GAP + PER_CLASS * (g.height() * scale(g) + GAP);
    }

    /** The top-left pixel of class {@code c}'s {@code i}-th sample. */
    public static Point cellOrigin(Grid g, int c, int i) {
        int k = scale(g);
        return new Point(GAP + c * (g.width() * k + GAP), TOP + GAP + i * (g.height() * k + GAP));
    }

    /**
     * @param title     the arm
     * @param subtitle  what the grid holds
     * @param shortfall what it lacks (in red), empty when the sampler wrote 10 of each of 10 classes
     */
    public static BufferedImage compose(Grid g, String title, String subtitle, String shortfall) {
        BufferedImage img = new BufferedImage(width(g), height(g), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        try {
            gr.setColor(Color.WHITE);
            gr.fillRect(0, 0, img.getWidth(), img.getHeight());
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setColor(Color.BLACK);
            gr.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            text(gr, title, 15, img.getWidth());
            gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            text(gr, subtitle, 31, img.getWidth());
            gr.setColor(new Color(0xB00020));
            text(gr, shortfall, 46, img.getWidth());
            FontMetrics fm = gr.getFontMetrics();
            int k = scale(g);
            int cellW = g.width() * k;
            int cellH = g.height() * k;
            for (int c = 0; c < g.byClass().size(); c++) {
                Point head = cellOrigin(g, c, 0);
                String label = String.valueOf(c);
                gr.setColor(Color.DARK_GRAY);
                gr.drawString(label, head.x + (cellW - fm.stringWidth(label)) / 2, TOP - 4);
                List<byte[]> images = g.byClass().get(c);
                for (int i = 0; i < PER_CLASS; i++) {
                    Point o = cellOrigin(g, c, i);
                    if (i >= images.size()) {
                        gr.setColor(EMPTY);
                        gr.fillRect(o.x, o.y, cellW, cellH);
                        continue;
                    }
                    draw(img, images.get(i), g, o, k);
                }
            }
        } finally {
            gr.dispose();
        }
        return img;
    }

    public static byte[] render(Grid g, String title, String subtitle, String shortfall) {
        return Png.image(compose(g, title, subtitle, shortfall));
    }

    /** One line, cut with an ellipsis where it would run past the image (a long arm label). */
    private static void text(Graphics2D gr, String line, int y, int width) {
        FontMetrics fm = gr.getFontMetrics();
        String shown = line;
        while (shown.length() > 1 && fm.stringWidth(shown) > width - 2 * (GAP + 2)) {
            shown = shown.substring(0, shown.length() - 2) + "\u2026";
        }
        gr.drawString(shown, GAP + 2, y);
    }

    private static void draw(BufferedImage img, byte[] chw, Grid g, Point o, int k) {
        int plane = g.height() * g.width();
        boolean rgb = g.channels() >= 3;
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                int p = y * g.width() + x;
                int r = chw[p] & 0xFF;
                int gg = rgb ? chw[plane + p] & 0xFF : r;
                int b = rgb ? chw[2 * plane + p] & 0xFF : r;
                int color = r << 16 | gg << 8 | b;
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        img.setRGB(o.x + x * k + dx, o.y + y * k + dy, color);
                    }
                }
            }
        }
    }
}
