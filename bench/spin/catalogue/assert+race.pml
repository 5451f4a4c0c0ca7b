/*
 * assert+race.pml -- mirrors litmus/properties/assert+race.litmus (expect violates assertion).
 *
 * Mapping: kernel threads K0, K1 -> proctypes (started by init, atomically); `global x` -> byte x;
 * register r0 -> a local byte. One mmu-litmus step = one shared statement plus the register-only
 * statements after it, so K1's `r0 = x; assert(r0 == 1);` is one atomic block.
 * Properties: assertion -> assert(assertion || ...) (pan names the property in its message);
 * deadlock -> SPIN's invalid end state. The final condition (K1:r0 = 0) is not a property and is
 * not compared.
 */
hidden byte assertion;
#define PROP(name, c) assert(name || (c))

byte x;

proctype K0() {
  x = 1
}

proctype K1() {
  byte r0;
  atomic { r0 = x; PROP(assertion, r0 == 1) }
}

init { atomic { run K0(); run K1() } }
