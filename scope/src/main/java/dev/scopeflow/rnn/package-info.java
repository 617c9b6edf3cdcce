/**
 * TF1's RNN cells ({@code tf.compat.v1.nn.rnn_cell}) as graph layers: the {@link dev.scopeflow.rnn.RNNCell}
 * contract (sizes, zero state, TF's plain-cell call wrapper) and {@link dev.scopeflow.rnn.LayerRNNCell}, the state
 * pair {@link dev.scopeflow.rnn.LSTMStateTuple}, and the cells {@link dev.scopeflow.rnn.BasicLSTMCell}, {@link
 * dev.scopeflow.rnn.LSTMCell} and {@link dev.scopeflow.rnn.MultiRNNCell}, built as keras 2.9's {@code
 * legacy_cells.py} builds them: the same variables, names, creation order, ops and numbers. With the default tanh
 * activation the LSTM cells fuse their gate math into one {@code LSTMBlockGates} op after TF's {@code MatMul}, and
 * {@link dev.scopeflow.rnn.Rnn}'s functions compute the input half of that product for all time steps in one {@code
 * MatMul} before the loop (same numbers within float rounding; variables and their names unchanged).
 *
 * <p>A cell is called like any layer, with its state as the second argument:
 *
 * <pre>{@code
 * BasicLSTMCell cell = BasicLSTMCell.builder(graph, 4).build();
 * Object state = cell.zeroState(2, DType.FLOAT32);      // LSTMStateTuple(zeros [2,4], zeros [2,4])
 * CellOutput out = cell.apply(x, state);                 // x: [2, depth]
 * Output h = out.output();
 * Object next = out.state();                             // LSTMStateTuple<Output>
 * }</pre>
 */
package dev.scopeflow.rnn;
