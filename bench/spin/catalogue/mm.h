/*
 * mm.h -- the machine state and the steps shared by the catalogue models that touch memory
 * (included by every catalogue model but abba, ab+ab and assert+*). Each model defines
 * NF (frames) and NT (TLBs: CPU threads' TLBs and secondaries' TLBs, one entry each, for the one
 * address 0x200000 these tests use) before including it.
 *
 * mmu-litmus state              here
 * ----------------------------  ------------------------------------------------------------
 * frame: refcount, mapcount,    ref[f], mapc[f], content[f], pgdirty[f], pglocked[f]; free iff
 *   content, PG_dirty, locked     ref[f] == 0; backing[f] = the backing copy of a file frame
 *   (file: backing copy)          (NONE for anon)
 * pte 0x200000                  pte_p (present), pte_f (frame), pte_w, pte_d, pte_y
 * its page-table lock           ptl: 0 free, else the owner's number
 * open invalidate_range         bracket: brackets open (start done, end not yet)
 *   brackets
 * TLB entry (CPU or secondary)  tlb_v[t], tlb_f[t], tlb_w[t] (writable), tlb_d[t] (cached dirty)
 *
 * Properties: each is an assert(NAME || cond) (pan prints the expression, so its message names
 * the property; the hidden NAME variables are never set and not in the state vector):
 *   use-after-free          at the access that reads or writes a free frame (and clear_page);
 *   dangling-translation    a monitor process: a free frame named by the PTE or a TLB entry
 *                           (mmu-litmus checks it at the freeing and installing steps, the only
 *                           steps that can make it true);
 *   incoherent-translation  a monitor process: in a quiescent state (PTL free, no bracket open)
 *                           a TLB entry not backed by the PTE (not present, other frame, ro
 *                           under rw, clean under cached dirty);
 *   lost-write              at a put_page that frees a file frame whose content differs from its
 *                           backing copy, and (mkclean models) a monitor on the final state;
 *   assertion               kernel BUGs: put_page at refcount 0, unlocking a lock not held;
 *   deadlock                SPIN's invalid end state (monitors sit at end labels).
 */
#define NONE 255
hidden byte use_after_free, dangling_translation, incoherent_translation, lost_write, assertion;
#define PROP(name, c) assert(name || (c))

byte ref[NF], mapc[NF], content[NF], backing[NF];
bit  pgdirty[NF], pglocked[NF];
bit  pte_p, pte_w, pte_d, pte_y;
byte pte_f;
byte ptl;
byte bracket;
bit  tlb_v[NT], tlb_w[NT], tlb_d[NT];
byte tlb_f[NT];

/* ---- monitors */
#if NT > 1
#define NAMED_T1(i) || (tlb_v[1] && tlb_f[1] == i)
#define BAD_T1 || (tlb_v[1] && !BACKED(1))
#else
#define NAMED_T1(i)
#define BAD_T1
#endif
#define NAMED(i) ((pte_p && pte_f == i) || (tlb_v[0] && tlb_f[0] == i) NAMED_T1(i))
#if NF > 1
#define DANGLING ((ref[0] == 0 && NAMED(0)) || (ref[1] == 0 && NAMED(1)))
#else
#define DANGLING (ref[0] == 0 && NAMED(0))
#endif
#define BACKED(t) (pte_p && pte_f == tlb_f[t] && (pte_w || !tlb_w[t]) && (pte_d || !tlb_d[t]))
#define INCOHERENT (ptl == 0 && bracket == 0 && ((tlb_v[0] && !BACKED(0)) BAD_T1))

active proctype monitor_dangling() {
end: atomic { DANGLING -> PROP(dangling_translation, !DANGLING) }
}

active proctype monitor_incoherent() {
end: atomic { INCOHERENT -> PROP(incoherent_translation, !INCOHERENT) }
}

/* ---- one step each */
inline pte_lock(me)   { atomic { ptl == 0 -> ptl = me } }
inline pte_unlock(me) { atomic { PROP(assertion, ptl == me); ptl = 0 } }
inline lock_page(f)   { atomic { pglocked[f] == 0 -> pglocked[f] = 1 } }
inline unlock_page(f) { atomic { PROP(assertion, pglocked[f] == 1); pglocked[f] = 0 } }
inline get_page(f)    { atomic { PROP(assertion, ref[f] > 0); ref[f]++ } }
inline put_page(f) {
  atomic {
    PROP(assertion, ref[f] > 0);
    ref[f]--;
    if
    :: ref[f] == 0 -> PROP(lost_write, backing[f] == NONE || content[f] == backing[f]); pgdirty[f] = 0
    :: else -> skip
    fi
  }
}
inline page_remove_rmap(f) { atomic { mapc[f]-- } }
/* a TLB entry dropped / the PTE cleared (all fields reset, as mmu-litmus drops the entry) */
#define TLB_DROP(t) tlb_v[t] = 0; tlb_f[t] = 0; tlb_w[t] = 0; tlb_d[t] = 0
#define PTE_CLEAR   pte_p = 0; pte_f = 0; pte_w = 0; pte_d = 0; pte_y = 0
/* e = ptep_get(a) / ptep_get_and_clear(a) into the thread's e_* registers */
#define PTE_READ    e_p = pte_p; e_f = pte_f; e_w = pte_w; e_d = pte_d; e_y = pte_y
#define PTE_SAME    (pte_p == e_p && pte_f == e_f && pte_w == e_w && pte_d == e_d && pte_y == e_y)
/* alloc_page(): the first free frame in declaration order, refcount 1, stale content */
#if NF > 1
#define ALLOC(pg) if :: ref[0] == 0 -> pg = 0 :: ref[0] != 0 && ref[1] == 0 -> pg = 1 \
                     :: ref[0] != 0 && ref[1] != 0 -> pg = NONE fi; if :: pg != NONE -> ref[pg] = 1 :: else fi
#else
#define ALLOC(pg) if :: ref[0] == 0 -> pg = 0; ref[0] = 1 :: else -> pg = NONE fi
#endif

/* stlb_zap of a secondary's TLB t (one step) */
inline stlb_zap(t) { atomic { TLB_DROP(t) } }
/* the core's bookkeeping step of mmu_notifier_invalidate_range_start: the bracket opens */
inline notifier_start() { atomic { bracket++ } }

/* registers of a thread that accesses memory: the fault handler's locals */
#define ACCESS_LOCALS byte page, e_f; bit e_p, e_w, e_d, e_y, flag

/*
 * r = load(0x200000) through TLB t of thread me (cpu: 1 for a CPU TLB, which caches the PTE's dirty
 * bit on a fill; 0 for ats, which caches it only on a store), on an anon rw vma. One step; if it
 * faults, handle_mm_fault(a, 0) runs as steps of the thread (pmdp_get, ptep_get, then
 * do_anonymous_page or the present-entry path) and the load retries. VM_FAULT_OOM kills the thread.
 */
inline load_anon(t, cpu, me, r) {
  do
  :: atomic { tlb_v[t] -> PROP(use_after_free, ref[tlb_f[t]] > 0); r = content[tlb_f[t]]; break }
  :: atomic { !tlb_v[t] && pte_p ->
       tlb_v[t] = 1; tlb_f[t] = pte_f; tlb_w[t] = pte_w; tlb_d[t] = (cpu && pte_d); pte_y = 1;
       PROP(use_after_free, ref[pte_f] > 0); r = content[pte_f]; break }
  :: atomic { !tlb_v[t] && !pte_p -> skip };             /* the access faults */
     skip;                                               /* pmd = pmdp_get(a): no PMD */
     atomic { PTE_READ };                                /* entry = ptep_get(a) */
     if
     :: atomic { !e_p -> ALLOC(page); if :: page == NONE -> break :: else fi };  /* do_anonymous_page: alloc_page(); NULL: OOM */
        atomic { PROP(use_after_free, ref[page] > 0); content[page] = 0 };      /* clear_page */
        pte_lock(me);
        atomic { flag = pte_p };                         /* if (!pte_none(ptep_get(a))) */
        if
        :: atomic { flag -> PROP(assertion, ptl == me); ptl = 0 }; put_page(page)
        :: atomic { !flag -> mapc[page]++ };             /* page_add_new_anon_rmap */
           atomic { pte_p = 1; pte_f = page; pte_w = 1; pte_d = 1; pte_y = 0 };  /* set_pte_at: mkwrite(mkdirty) */
           pte_unlock(me)
        fi
     :: atomic { e_p && ptl == 0 -> ptl = me };          /* a present entry: pte_lock(a) */
        atomic { flag = PTE_SAME };                      /* if (!pte_same(ptep_get(a), entry)) */
        if
        :: atomic { !flag -> PROP(assertion, ptl == me); ptl = 0 }
        :: atomic { flag -> pte_y = 1 };                 /* spurious: ptep_set_access_flags(mkyoung) */
           pte_unlock(me)
        fi
     fi
  od
}

/*
 * store(0x200000, v) through CPU TLB t of thread me, on a shared file rw vma. A hit through an entry
 * cached dirty writes; one not yet cached dirty re-walks the PTE (present, writable, same frame:
 * set dirty and write; otherwise the entry is dropped and the access faults); a miss walks the PTE
 * (present and writable: fill caching write and dirty, set young and dirty, write). A fault runs
 * handle_mm_fault(a, 1): pmdp_get, ptep_get, then do_fault (shared write: find_get_page,
 * lock_page, the PTL, map writable dirty, set_page_dirty) or, on a present read-only entry,
 * do_wp_page -> wp_page_shared; then the store retries.
 */
#define STORE_OK (pte_p && pte_w && pte_f == tlb_f[t])
inline store_file(t, me, v) {
  do
  :: atomic { tlb_v[t] && tlb_w[t] && tlb_d[t] -> PROP(use_after_free, ref[tlb_f[t]] > 0); content[tlb_f[t]] = v; break }
  :: atomic { tlb_v[t] && tlb_w[t] && !tlb_d[t] && STORE_OK ->
       pte_d = 1; tlb_d[t] = 1; PROP(use_after_free, ref[tlb_f[t]] > 0); content[tlb_f[t]] = v; break }
  :: atomic { !tlb_v[t] && pte_p && pte_w ->
       tlb_v[t] = 1; tlb_f[t] = pte_f; tlb_w[t] = 1; tlb_d[t] = 1; pte_y = 1; pte_d = 1;
       PROP(use_after_free, ref[pte_f] > 0); content[pte_f] = v; break }
  :: atomic { (tlb_v[t] && !(tlb_w[t] && (tlb_d[t] || STORE_OK))) || (!tlb_v[t] && !(pte_p && pte_w)) ->
       TLB_DROP(t) };                                    /* the access faults */
     skip;                                               /* pmd = pmdp_get(a): no PMD */
     atomic { PTE_READ };                                /* entry = ptep_get(a) */
     if
     :: atomic { !e_p -> page = FILE_PAGE; if :: ref[page] == 0 -> break :: else -> ref[page]++ fi };  /* do_fault: find_get_page(a); NULL: SIGBUS */
        lock_page(page);
        pte_lock(me);
        atomic { flag = pte_p };                         /* if (!pte_none(ptep_get(a))) */
        if
        :: atomic { flag -> PROP(assertion, ptl == me); ptl = 0 }; unlock_page(page); put_page(page)
        :: atomic { !flag -> mapc[page]++ };             /* page_add_file_rmap */
           atomic { pte_p = 1; pte_f = page; pte_w = 1; pte_d = 1; pte_y = 0 };  /* set_pte_at: mkwrite(mkdirty) */
           pte_unlock(me);
           atomic { pgdirty[page] = 1 };                 /* set_page_dirty (do_shared_fault) */
           unlock_page(page)
        fi
     :: atomic { e_p && ptl == 0 -> ptl = me };          /* a present entry: pte_lock(a) */
        atomic { flag = PTE_SAME };                      /* if (!pte_same(ptep_get(a), entry)) */
        if
        :: atomic { !flag -> PROP(assertion, ptl == me); ptl = 0 }
        :: atomic { flag && !e_w -> skip };              /* do_wp_page: if (PageAnon(page)): a file page */
           get_page(e_f);                                /* wp_page_shared */
           pte_unlock(me);
           lock_page(e_f);
           pte_lock(me);
           atomic { flag = PTE_SAME };                   /* if (!pte_same(ptep_get(a), orig)) */
           if
           :: atomic { !flag -> PROP(assertion, ptl == me); ptl = 0 }; unlock_page(e_f); put_page(e_f)
           :: atomic { flag -> pte_w = 1; pte_d = 1; pte_y = 1 };  /* wp_page_reuse: ptep_set_access_flags */
              pte_unlock(me);
              atomic { pgdirty[e_f] = 1 };               /* set_page_dirty */
              unlock_page(e_f);
              put_page(e_f)
           fi
        :: atomic { flag && e_w -> pte_d = 1; pte_y = 1 };  /* spurious: ptep_set_access_flags(mkyoung(mkdirty)) */
           pte_unlock(me)
        fi
     fi
  od
}
