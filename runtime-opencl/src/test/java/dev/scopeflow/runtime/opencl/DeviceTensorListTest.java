package dev.scopeflow.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scopeflow.graph.DType;
import dev.scopeflow.graph.Shape;
import dev.scopeflow.graph.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DeviceTensorList}'s chunked storage against a plain Java list model: random writes, appends and pops across
 * chunk boundaries (lists several chunks long), every version kept alive and checked element by element, then every
 * element released exactly when the last list holding it is released. Host-only tensors: no device needed.
 */
class DeviceTensorListTest {
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  @Test
  void versionsAgreeWithAJavaModelAndReleaseEveryElement() {
    List<DeviceTensor> tensors = new ArrayList<>();
    List<DeviceTensorList> versions = new ArrayList<>();
    List<List<DeviceTensor>> models = new ArrayList<>();
    DeviceTensorList list = DeviceTensorList.reserved(DType.FLOAT32, Shape.scalar(), 40);
    list.retain();
    versions.add(list);
    models.add(new ArrayList<>(Collections.nCopies(40, null)));
    for (int step = 0; step < 400; step++) {
      int from = random.nextInt(versions.size());
      DeviceTensorList base = versions.get(from);
      List<DeviceTensor> model = new ArrayList<>(models.get(from));
      DeviceTensorList next;
      int op = random.nextInt(4);
      if (op == 0 && !model.isEmpty()) {
        next = base.popBack();
        model.remove(model.size() - 1);
      } else if (op == 1 || model.isEmpty()) {
        DeviceTensor t = tensor(tensors);
        next = base.pushBack(t);
        model.add(t);
      } else {
        int index = random.nextInt(model.size());
        DeviceTensor t = tensor(tensors);
        next = base.withItem(index, t);
        model.set(index, t);
      }
      next.retain();
      versions.add(next);
      models.add(model);
    }
    for (int v = 0; v < versions.size(); v++) {
      DeviceTensorList l = versions.get(v);
      List<DeviceTensor> model = models.get(v);
      assertEquals(model.size(), l.length(), "version " + v + ", seed " + seed);
      assertEquals(model.stream().filter(t -> t != null).count(), l.setCount(), "version " + v + ", seed " + seed);
      DeviceTensor[] items = l.items();
      for (int i = 0; i < model.size(); i++) {
        assertSame(model.get(i), l.item(i).orElse(null), "version " + v + " element " + i + ", seed " + seed);
        assertSame(model.get(i), items[i]);
      }
    }
    // Release the versions in random order; a tensor dies with the last version that holds it.
    for (DeviceTensor t : tensors) {
      t.release(); // the creator's reference: from now on only lists hold the tensors
    }
    List<Integer> order = new ArrayList<>();
    for (int v = 0; v < versions.size(); v++) {
      order.add(v);
    }
    Collections.shuffle(order, random);
    boolean[] released = new boolean[versions.size()];
    for (int v : order) {
      versions.get(v).release();
      released[v] = true;
      for (DeviceTensor t : tensors) {
        boolean held = false;
        for (int w = 0; w < versions.size() && !held; w++) {
          held = !released[w] && models.get(w).contains(t);
        }
        if (held) {
          t.reshaped(Shape.scalar()); // alive
        } else {
          assertThrows(IllegalStateException.class, () -> t.reshaped(Shape.scalar()), "released, seed " + seed);
        }
      }
    }
  }

  private DeviceTensor tensor(List<DeviceTensor> all) {
    DeviceTensor t = DeviceTensor.onHost(null, Tensor.scalar(random.nextFloat()));
    t.retain();
    all.add(t);
    return t;
  }
}
