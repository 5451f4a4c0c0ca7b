/*
 * assert+await.pml -- mirrors litmus/properties/assert+await.litmus (expect safe).
 *
 * Mapping: kernel threads K0, K1 -> proctypes (started by init, atomically); `global x` -> byte x;
 * register r0 -> a local byte. `await (x == 1);` is a step enabled only when x == 1 -> the
 * Promela guard `x == 1`; `r0 = x; assert(r0 == 1);` is one step (a shared read and the
 * register-only assert after it) -> one atomic block.
 * Properties: assertion -> assert(assertion || ...); deadlock -> SPIN's invalid end state.
 */
hidden byte assertion;
#define PROP(name, c) assert(name || (c))

byte x;

proctype K0() {
  x = 1
}

proctype K1() {
  byte r0;
  x == 1;
  atomic { r0 = x; PROP(assertion, r0 == 1) }
}

init { atomic { run K0(); run K1() } }
