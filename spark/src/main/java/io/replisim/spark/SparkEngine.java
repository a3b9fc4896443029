package io.replisim.spark;

import io.replisim.simulator.sweep.RemoteFunction;
import io.replisim.simulator.sweep.Sweep;
import io.replisim.simulator.sweep.SweepEngine;
import io.replisim.simulator.sweep.SweepEngineProvider;
import io.replisim.simulator.sweep.SweepResults;
import io.replisim.simulator.sweep.SweepRow;
import io.replisim.simulator.sweep.SweepRuns;
import io.replisim.simulator.sweep.SweepTask;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A sweep's points as a Spark job: one partition per point, each run by
 * {@link SweepRuns#run} on an executor, the rows collected in partition (point) order, so the
 * rows are the local engine's. The RDD API with Java serialization: Kryo and bean encoders do
 * not take records. Rows are also written as {@code results.parquet}.
 */
final class SparkEngine implements SweepEngine {
    private final SweepEngineProvider.Options options;
    private SparkSession spark;

    SparkEngine(SweepEngineProvider.Options options) {
        this.options = options;
    }

    /** The master: --master, else what spark-submit configured, else this machine's cores (or --threads of them). */
    String master() {
        if (options.master() != null) {
            return options.master();
        }
        if (new SparkConf().contains("spark.master")) {
            return null;
        }
        return options.threads() > 0 ? "local[" + options.threads() + "]" : "local[*]";
    }

    private SparkSession session() {
        if (spark == null) {
            SparkSession.Builder b = SparkSession.builder().appName("replisim sweep");
            String master = master();
            if (master != null) {
                b.master(master);
            }
            if (master != null && master.startsWith("local")) {
                // on one machine: listen and connect on the loopback only, and no web UI port
                b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.ui.enabled", "false");
            }
            spark = b.getOrCreate();
        }
        return spark;
    }

    @Override
    public List<SweepRow> run(List<SweepTask> tasks, Consumer<SweepRow> done) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
        String traces = options.traces() == null ? null : options.traces().toAbsolutePath().toString();
        List<SweepRow> rows = jsc.parallelize(tasks, tasks.size()).map(t -> runOne(t, traces)).collect();
        rows.forEach(done);
        return rows;
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(List<T> inputs, RemoteFunction<T, R> fn) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
        return jsc.parallelize(inputs, inputs.size()).map(fn::apply).collect();
    }

    /** On an executor: nothing of the engine travels, only the task and where traces go. */
    private static SweepRow runOne(SweepTask task, String traces) {
        return SweepRuns.run(task, traces == null ? null : Path.of(traces));
    }

    @Override
    public void written(Sweep sweep, List<SweepRow> rows, Path out) {
        List<String> header = SweepResults.header(sweep);
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            fields.add(DataTypes.createStructField(header.get(i), type(i, sweep.axes().size()), true));
        }
        List<Row> data = new ArrayList<>();
        for (SweepRow r : rows) {
            List<String> cells = r.cells();
            Object[] values = new Object[cells.size()];
            for (int i = 0; i < cells.size(); i++) {
                values[i] = value(cells.get(i), fields.get(i).dataType());
            }
            data.add(RowFactory.create(values));
        }
        session().createDataFrame(data, new StructType(fields.toArray(StructField[]::new))).coalesce(1).write()
                .mode(SaveMode.Overwrite).parquet(out.resolve("results.parquet").toAbsolutePath().toString());
    }

    /** A column's type: the point and counts as numbers, the grid's values as text, times as seconds. */
    private static DataType type(int column, int axes) {
        if (column == 0) {
            return DataTypes.IntegerType;
        }
        if (column <= axes) {
            return DataTypes.StringType;
        }
        return switch (SweepRow.FIGURES.get(column - axes - 1)) {
            case "seed", "resyncs", "bytes_sent", "errors", "events" -> DataTypes.LongType;
            case "passed" -> DataTypes.BooleanType;
            case "expectations_held", "expectations", "vms" -> DataTypes.IntegerType;
            case "ir_end_s", "rpo_p50_s", "rpo_p95_s", "rpo_p99_s", "rpo_max_s" -> DataTypes.DoubleType;
            default -> DataTypes.StringType;
        };
    }

    private static Object value(String cell, DataType type) {
        if (type == DataTypes.StringType) {
            return cell;
        }
        if (cell.isEmpty()) {
            return null;
        }
        if (type == DataTypes.LongType) {
            return Long.parseLong(cell);
        }
        if (type == DataTypes.IntegerType) {
            return Integer.parseInt(cell);
        }
        if (type == DataTypes.BooleanType) {
            return Boolean.parseBoolean(cell);
        }
        return Double.parseDouble(cell);
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
    }
}
