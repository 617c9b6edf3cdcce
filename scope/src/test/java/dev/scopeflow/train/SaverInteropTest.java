package dev.scopeflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Session;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Variable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The Saver against real TensorFlow (TF Java runs TF's own {@code SaveV2}/{@code RestoreV2} kernels; only the
 * tf-interop profile compiles this): a checkpoint TF writes under an LSTM model's variable names (BasicLSTMCell under
 * dynamic_rnn, Adam slots, global_step) restores into the ScopeFlow graph and training continues exactly as it would
 * have; what the Saver writes, TF's RestoreV2 reads back key by key.
 */
class SaverInteropTest {
  @TempDir
  Path dir;

  private final List<Session> sessions = new ArrayList<>();

  @AfterEach
  void close() {
    sessions.forEach(Session::close);
  }

  private Session open(LstmAdamModel m) {
    Session s = Session.open(m.g, "cpu");
    sessions.add(s);
    s.runTargets(m.t.state.globalVariablesInitializer());
    return s;
  }

  @Test
  void aCheckpointTensorFlowWroteRestoresAndTrainingContinuesIdentically() {
    LstmAdamModel trained = new LstmAdamModel();
    Session s = open(trained);
    for (int i = 0; i < 3; i++) {
      trained.trainStep(s, i);
    }
    // TF writes the trained values under the graph names, as a Python tf.compat.v1.train.Saver would.
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (Variable v : trained.variables()) {
      values.put(v.op().name(), s.run(v));
    }
    Path prefix = dir.resolve("tf/model.ckpt-3");
    tfSave(prefix, values);

    LstmAdamModel restored = new LstmAdamModel();
    Session s2 = open(restored);
    Saver.create(restored.g).restore(s2, prefix.toString());
    for (Variable v : restored.variables()) {
      assertEquals(values.get(v.op().name()), s2.run(v), v.name());
    }
    for (int i = 3; i < 6; i++) {
      assertEquals(trained.trainStep(s, i), restored.trainStep(s2, i), "step " + i);
    }
  }

  @Test
  void tensorFlowReadsWhatTheSaverWrote() {
    LstmAdamModel m = new LstmAdamModel();
    Session s = open(m);
    for (int i = 0; i < 2; i++) {
      m.trainStep(s, i);
    }
    String path = Saver.create(m.g).save(s, dir.resolve("sf/model.ckpt").toString(), m.globalStep);
    Map<String, DType> dtypes = new LinkedHashMap<>();
    for (Variable v : m.variables()) {
      dtypes.put(v.op().name(), v.dtype());
    }
    Map<String, Tensor> back = tfRestore(Path.of(path), dtypes);
    for (Variable v : m.variables()) {
      assertEquals(s.run(v), back.get(v.op().name()), v.name());
    }
    assertEquals(Tensor.scalar(2L), back.get("global_step"));
  }

  // ---------------------------------------------------------------- TF Java (float32 and int64 are all the model has)

  private static void tfSave(Path prefix, Map<String, Tensor> tensors) {
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      List<Operand<?>> values = new ArrayList<>();
      for (Tensor t : tensors.values()) {
        org.tensorflow.ndarray.Shape shape = org.tensorflow.ndarray.Shape.of(t.shape().dims());
        values.add(t.dtype() == DType.INT64 ? tf.constant(shape, DataBuffers.of(t.toLongArray(), true, false))
            : tf.constant(shape, DataBuffers.of(t.toFloatArray(), true, false)));
      }
      String[] names = tensors.keySet().toArray(new String[0]);
      String[] slices = new String[names.length];
      java.util.Arrays.fill(slices, "");
      tf.train.save(tf.constant(StandardCharsets.UTF_8, prefix.toString()), tf.constant(StandardCharsets.UTF_8, names),
          tf.constant(StandardCharsets.UTF_8, slices), values);
    }
  }

  private static Map<String, Tensor> tfRestore(Path prefix, Map<String, DType> dtypes) {
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      String[] names = dtypes.keySet().toArray(new String[0]);
      String[] slices = new String[names.length];
      java.util.Arrays.fill(slices, "");
      List<Class<? extends TType>> classes = new ArrayList<>();
      for (DType d : dtypes.values()) {
        classes.add(d == DType.INT64 ? TInt64.class : TFloat32.class);
      }
      Restore restore = tf.train.restore(tf.constant(StandardCharsets.UTF_8, prefix.toString()),
          tf.constant(StandardCharsets.UTF_8, names), tf.constant(StandardCharsets.UTF_8, slices), classes);
      Map<String, Tensor> result = new LinkedHashMap<>();
      List<Output<?>> outputs = restore.tensors();
      int i = 0;
      for (Map.Entry<String, DType> e : dtypes.entrySet()) {
        org.tensorflow.Tensor t = outputs.get(i++).asTensor();
        Shape shape = Shape.of(t.shape().asArray());
        int n = Math.toIntExact(shape.size());
        if (e.getValue() == DType.INT64) {
          long[] a = new long[n];
          ((TInt64) t).read(DataBuffers.of(a, false, false));
          result.put(e.getKey(), Tensor.create(shape, a));
        } else {
          float[] a = new float[n];
          ((TFloat32) t).read(DataBuffers.of(a, false, false));
          result.put(e.getKey(), Tensor.create(shape, a));
        }
      }
      return result;
    }
  }
}
