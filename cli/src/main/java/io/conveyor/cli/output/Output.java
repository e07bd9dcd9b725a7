package io.conveyor.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where a command's output goes. Results go to standard output: tables and sentences, or with {@code --json} the
 * API's JSON documents (pretty-printed; {@code watch} prints one compact document per line). Notes and progress
 * bars go to standard error, so a script reading standard output never sees them; progress bars only on a terminal
 * and never with {@code --json}. Not thread-safe.
 */
public final class Output {
    private static final ObjectWriter COMPACT = new ObjectMapper().writer();
    private static final ObjectWriter PRETTY = COMPACT.with(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean progress;
    private final int width;

    /**
     * @param json     whether results are JSON
     * @param progress whether to draw progress bars (a terminal, and not JSON)
     * @param width    the terminal's width in columns, for progress bars
     */
    public Output(PrintWriter out, PrintWriter err, boolean json, boolean progress, int width) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.progress = progress && !json;
        this.width = width;
    }

    public boolean json() {
        return json;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** A result line on standard output. */
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A note on standard error (what is happening; not a result). Silent with {@code --json}. */
    public void note(String text) {
        if (!json) {
            err.println(text);
            err.flush();
        }
    }

    /** A JSON document on standard output, pretty-printed. */
    public void json(JsonNode document) {
        out.println(write(PRETTY, document));
        out.flush();
    }

    /** A JSON document on one line of standard output (JSON Lines). */
    public void jsonLine(JsonNode document) {
        out.println(write(COMPACT, document));
        out.flush();
    }

    private static String write(ObjectWriter writer, JsonNode document) {
        try {
            return writer.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints rows as a table with a header, columns padded to their widest cell. */
    public void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /**
     * A progress bar for {@code total} bytes, in MiB, or {@link ProgressDisplay#NONE} when bars are off or the total is under
     * 1 MiB (done before a bar would show anything).
     */
    public ProgressDisplay bytes(String task, long total) {
        return total < 1024 * 1024 ? ProgressDisplay.NONE : bar(task, total, "MiB", 1024 * 1024, true);
    }

    /** A progress bar counting things (such as subjobs), or {@link ProgressDisplay#NONE} when bars are off. */
    public ProgressDisplay count(String task, long total) {
        return bar(task, total, "", 1, false);
    }

    private ProgressDisplay bar(String task, long total, String unit, long unitSize, boolean speed) {
        if (!progress) {
            return ProgressDisplay.NONE;
        }
        var builder = ProgressBar.builder().setTaskName(task).setInitialMax(total).setUnit(unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setConsumer(new Consumer(err, width));
        if (speed) {
            builder.showSpeed();
        } else {
            builder.hideEta();
        }
        ProgressBar bar = builder.build();
        return new ProgressDisplay() {
            @Override
            public void step(long n) {
                bar.stepBy(n);
            }

            @Override
            public void stepTo(long n) {
                bar.stepTo(n);
            }

            @Override
            public void total(long t) {
                bar.maxHint(t);
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(text);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    /** Draws the bar on one line of standard error, redrawn in place with a carriage return. */
    private static final class Consumer implements ProgressBarConsumer {
        private final PrintWriter err;
        private final int width;

        Consumer(PrintWriter err, int width) {
            this.err = err;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public void accept(String rendered) {
            err.print('\r');
            err.print(rendered);
            err.flush();
        }

        @Override
        public void close() {
            err.println();
            err.flush();
        }
    }
}
