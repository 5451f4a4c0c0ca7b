/*
 * abba.pml -- mirrors litmus/properties/abba.litmus (expect violates deadlock).
 *
 * Mapping: kernel threads K0, K1 -> proctypes K0, K1 (started by init, atomically);
 * `lock a : spinlock` -> byte a (0 free, else the owner's number); spin_lock(l) is one step,
 * enabled only while l is free: atomic { l == 0 -> l = me }; spin_unlock(l) is one step (unlocking
 * a lock the thread does not hold is a kernel BUG: the assertion property).
 * Properties: deadlock (some thread unfinished, none can step) -> SPIN's "invalid end state";
 * assertion -> assert(assertion || ...): pan names the property in its message.
 */
hidden byte assertion;
#define PROP(name, c) assert(name || (c))

byte a, b;

inline spin_lock(l, me)   { atomic { l == 0 -> l = me } }
inline spin_unlock(l, me) { atomic { PROP(assertion, l == me); l = 0 } }

proctype K0() {
  spin_lock(a, 1);
  spin_lock(b, 1);
  spin_unlock(b, 1);
  spin_unlock(a, 1)
}

proctype K1() {
  spin_lock(b, 2);
  spin_lock(a, 2);
  spin_unlock(a, 2);
  spin_unlock(b, 2)
}

init { atomic { run K0(); run K1() } }
