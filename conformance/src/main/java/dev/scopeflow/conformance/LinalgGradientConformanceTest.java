package dev.scopeflow.conformance;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Output;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import dev.scopeflow.ops.Gradients;
import dev.scopeflow.ops.LinalgOps.QrResult;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the tf.linalg ops on the runtime under test, against float64 central differences: matmul with every
 * transposition, diag_part of square, wide, tall, batched and unknown-shape matrices, qr of tall and square
 * (also batched) matrices through functions of both Q and R, triangular_solve for each triangle and adjoint, and
 * float32 cases.
 */
public class LinalgGradientConformanceTest extends NnGradientTestBase {

  // ---------------------------------------------------------------- MatMul

  @Test
  void matmulForEveryTransposition() {
    int m = 2;
    int k = 3;
    int n = 4;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        Shape as = ta ? Shape.of(k, m) : Shape.of(m, k);
        Shape bs = tb ? Shape.of(n, k) : Shape.of(k, n);
        checkGradients(x -> tf.linalg.matmul(x.get(0), x.get(1), ta, tb), randomDoubles(as, -1, 1),
            randomDoubles(bs, -1, 1));
      }
    }
  }

  @Test
  void matmulOfVectorsAndUnknownDims() {
    checkGradients(x -> tf.linalg.matmul(x.get(0), x.get(1), false, true), randomDoubles(Shape.of(1, 3), -1, 1),
        randomDoubles(Shape.of(1, 3), -1, 1));
    checkGradientsWithStaticShapes(x -> tf.linalg.matmul(x.get(0), x.get(1), true, false),
        new Shape[] {Shape.of(-1, -1), Shape.unknown()}, randomDoubles(Shape.of(3, 2), -1, 1),
        randomDoubles(Shape.of(3, 2), -1, 1));
  }

  @Test
  void float32Matmul() {
    checkFloat32Gradients(x -> tf.linalg.matmul(x.get(0), x.get(1), false, true),
        randomTensor(DType.FLOAT32, Shape.of(2, 3), -1, 1), randomTensor(DType.FLOAT32, Shape.of(4, 3), -1, 1));
  }

  // ---------------------------------------------------------------- MatrixDiagPart

  @Test
  void diagPartOfSquareWideTallAndBatchedMatrices() {
    Function<List<Output>, Output> diag = x -> tf.linalg.diagPart(x.get(0));
    checkGradients(diag, randomDoubles(Shape.of(3, 3), -1, 1));
    checkGradients(diag, randomDoubles(Shape.of(2, 4), -1, 1));
    checkGradients(diag, randomDoubles(Shape.of(4, 2), -1, 1));
    checkGradients(diag, randomDoubles(Shape.of(2, 3, 2), -1, 1));
    checkGradients(diag, randomDoubles(Shape.of(2, 1, 2, 3), -1, 1));
  }

  @Test
  void diagPartGradientPutsTheVectorOnTheDiagonalOfZeros() {
    Output x = tf.placeholder(DType.FLOAT64, Shape.of(-1, -1));
    Output w = tf.constant(new double[] {5, -7});
    for (Shape s : List.of(Shape.of(2, 3), Shape.of(3, 2))) {
      Output g = tf.gradients(List.of(tf.linalg.diagPart(x)), List.of(x),
          Gradients.options().gradYs(List.of(w))).get(0).orElseThrow();
      Tensor r = runner().feed(x, randomDoubles(s, -1, 1)).fetch(g).run().get(0);
      double[] expected = s.size(0) == 2 ? new double[] {5, 0, 0, 0, -7, 0} : new double[] {5, 0, 0, -7, 0, 0};
      assertAllClose(expected, s, r, 0);
    }
  }

  @Test
  void diagPartOfUnknownShapes() {
    Function<List<Output>, Output> diag = x -> tf.linalg.diagPart(x.get(0));
    checkGradientsWithStaticShapes(diag, new Shape[] {Shape.of(-1, -1)}, randomDoubles(Shape.of(2, 4), -1, 1));
    checkGradientsWithStaticShapes(diag, new Shape[] {Shape.of(-1, -1)}, randomDoubles(Shape.of(4, 2), -1, 1));
    checkGradientsWithStaticShapes(diag, new Shape[] {Shape.unknown()}, randomDoubles(Shape.of(2, 3, 2), -1, 1));
    checkGradientsWithStaticShapes(diag, new Shape[] {Shape.of(2, -1, 3)}, randomDoubles(Shape.of(2, 2, 3), -1, 1));
    checkGradientsWithStaticShapes(diag, new Shape[] {Shape.of(-1, 3)}, randomDoubles(Shape.of(3, 3), -1, 1));
  }

  @Test
  void float32DiagPart() {
    checkFloat32Gradients(x -> tf.linalg.diagPart(x.get(0)), randomTensor(DType.FLOAT32, Shape.of(3, 2), -1, 1));
  }

  // ---------------------------------------------------------------- Qr

  /** {@code Q R^T}: a function of both outputs of one rank-2 QR, so both gradients meet in one check. */
  private Function<List<Output>, Output> qTimesRTransposed(boolean full) {
    return x -> {
      QrResult qr = tf.linalg.qr(x.get(0), full);
      return tf.linalg.matmul(qr.q(), qr.r(), false, true);
    };
  }

  @Test
  void qrOfTallAndSquareMatricesThroughBothOutputs() {
    checkGradients(qTimesRTransposed(false), randomDoubles(Shape.of(4, 3), -1, 1));
    checkGradients(qTimesRTransposed(false), randomDoubles(Shape.of(3, 3), -1, 1));
    checkGradients(qTimesRTransposed(false), randomDoubles(Shape.of(5, 2), -1, 1));
    // full_matrices is differentiable for square inputs, where it changes nothing
    checkGradients(qTimesRTransposed(true), randomDoubles(Shape.of(3, 3), -1, 1));
  }

  @Test
  void qrThroughEachOutputAlone() {
    checkGradients(x -> tf.linalg.qr(x.get(0)).q(), randomDoubles(Shape.of(4, 3), -1, 1));
    checkGradients(x -> tf.linalg.qr(x.get(0)).r(), randomDoubles(Shape.of(4, 3), -1, 1));
    checkGradients(x -> tf.linalg.qr(x.get(0)).r(), randomDoubles(Shape.of(1, 1), 0.5, 1));
  }

  @Test
  void batchedQr() {
    checkGradients(x -> tf.linalg.qr(x.get(0)).q(), randomDoubles(Shape.of(2, 3, 2), -1, 1));
    checkGradients(x -> tf.linalg.qr(x.get(0)).r(), randomDoubles(Shape.of(2, 3, 2), -1, 1));
    // Both outputs at once (MatMul takes no batches): the cross-entropy of square Q's rows (logits) against the
    // distributions softmax(R) (labels; the loss's gradient needs labels that sum to 1, as TF's).
    checkGradients(x -> {
      QrResult qr = tf.linalg.qr(x.get(0));
      return tf.nn.softmaxCrossEntropyWithLogitsV2(tf.nn.softmax(qr.r()), qr.q());
    }, randomDoubles(Shape.of(2, 3, 3), -1, 1));
    checkGradientsWithStaticShapes(x -> tf.linalg.qr(x.get(0)).q(), new Shape[] {Shape.of(-1, 3, 2)},
        randomDoubles(Shape.of(2, 3, 2), -1, 1));
  }

  @Test
  void float32Qr() {
    // Columns kept well apart (a dominant diagonal of random sign): near rank deficiency the QR gradient grows like
    // 1/sigma_min, and float32 central differences of an ill-conditioned draw missed the tolerance for ~2.5% of seeds.
    float[] v = randomFloats(6, -0.5, 0.5);
    for (int i = 0; i < 2; i++) {
      float d = (float) (1 + random.nextDouble());
      v[i * 3] = random.nextBoolean() ? d : -d;
    }
    checkFloat32Gradients(qTimesRTransposed(false), Tensor.create(Shape.of(3, 2), v));
  }

  // ---------------------------------------------------------------- MatrixTriangularSolve

  /**
   * A well-conditioned {@code [..., n, n]} matrix for triangular solves: diagonal entries of magnitude in [1, 2) with
   * random signs, the rest in [-0.5, 0.5) (also in the triangle the solve ignores).
   */
  private Tensor wellConditioned(Shape batch, int n) {
    Shape s = batch.concatenate(Shape.of(n, n));
    double[] v = randomDoubles(Math.toIntExact(s.size()), -0.5, 0.5);
    for (int b = 0; b < v.length / (n * n); b++) {
      for (int i = 0; i < n; i++) {
        double d = 1 + random.nextDouble();
        v[b * n * n + i * (n + 1)] = random.nextBoolean() ? d : -d;
      }
    }
    return Tensor.create(s, v);
  }

  @Test
  void triangularSolveForEachTriangleAndAdjoint() {
    for (boolean lower : new boolean[] {true, false}) {
      for (boolean adjoint : new boolean[] {false, true}) {
        checkGradients(x -> tf.linalg.triangularSolve(x.get(0), x.get(1), lower, adjoint),
            wellConditioned(Shape.scalar(), 3), randomDoubles(Shape.of(3, 2), -1, 1));
      }
    }
  }

  @Test
  void batchedTriangularSolve() {
    checkGradients(x -> tf.linalg.triangularSolve(x.get(0), x.get(1), false, true),
        wellConditioned(Shape.of(2), 3), randomDoubles(Shape.of(2, 3, 1), -1, 1));
    checkGradients(x -> tf.linalg.triangularSolve(x.get(0), x.get(1), true, false),
        wellConditioned(Shape.of(2, 1), 2), randomDoubles(Shape.of(2, 1, 2, 2), -1, 1));
  }

  @Test
  void triangularSolveOfUnknownShapes() {
    checkGradientsWithStaticShapes(x -> tf.linalg.triangularSolve(x.get(0), x.get(1), true, true),
        new Shape[] {Shape.unknown(), Shape.unknown()}, wellConditioned(Shape.of(2), 2),
        randomDoubles(Shape.of(2, 2, 3), -1, 1));
    checkGradientsWithStaticShapes(x -> tf.linalg.triangularSolve(x.get(0), x.get(1), false, false),
        new Shape[] {Shape.of(-1, -1), Shape.of(-1, 2)}, wellConditioned(Shape.scalar(), 3),
        randomDoubles(Shape.of(3, 2), -1, 1));
  }

  @Test
  void gradientsAreDifferentiableAgain() {
    // d/da of sum(matmul(a, b) ** 2) / 2 is linear in a and quadratic in b: its own gradient needs MatMul's again.
    checkGradients(x -> tf.gradients(tf.nn.l2Loss(tf.linalg.matmul(x.get(0), x.get(1), true, false)), x.get(0))
        .get(0).orElseThrow(), randomDoubles(Shape.of(3, 2), -1, 1), randomDoubles(Shape.of(3, 4), -1, 1));
    checkGradients(x -> tf.gradients(tf.nn.l2Loss(tf.linalg.triangularSolve(x.get(0), x.get(1))), x.get(1)).get(0)
        .orElseThrow(), wellConditioned(Shape.scalar(), 3), randomDoubles(Shape.of(3, 2), -1, 1));
  }

  @Test
  void float32TriangularSolve() {
    Tensor a = Tensor.fromDoubles(DType.FLOAT32, Shape.of(3, 3), wellConditioned(Shape.scalar(), 3).asDoubles());
    checkFloat32Gradients(x -> tf.linalg.triangularSolve(x.get(0), x.get(1), false, false), a,
        randomTensor(DType.FLOAT32, Shape.of(3, 2), -1, 1));
  }
}
