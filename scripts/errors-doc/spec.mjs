// code -> [sentence, optional [firstLine, lastLine] of the golden input to show]
export const SPEC = {
  ML1001: [
    'A character (or a run of them) outside a comment or string starts no token, like the `$` of a shell variable; delete it or replace it with what was meant.',
  ],
  ML1002: [
    'A `/* … */` or `(* … *)` comment is still open at the end of the file; close it, or turn the line into a `//` comment.',
  ],
  ML1003: [
    'A string (the description line or a `config` value) has no closing `"` on its line; strings cannot span lines, so close it on the same line.',
  ],
  ML1004: [
    'A number runs into letters or digits that do not belong to it (`1O`, `0x`, `0x1g`); write a decimal number, or a hexadecimal one starting with `0x`, with `_` only between digits.',
  ],
  ML1005: [
    'A number literal is 2^64 or more, but values are unsigned 64-bit integers; write a smaller value, or reach the top of the range with `ULONG_MAX` or wraparound arithmetic such as `-1`.',
  ],
  ML1006: [
    'An `@` is not directly followed by a variant name, for example because of a space in `try_to_unmap_one @v4.13`; write the variant right after the name, as in `name@v4.13`.',
  ],
  ML1010: [
    'The first line of the test is not the header; start the file with `MMU <name>`, the name being the file name without `.litmus`.',
  ],
  ML1011: [
    'The header `MMU` has no test name on the same line; add the name, which should equal the file name without `.litmus`.',
  ],
  ML1012: [
    'A token the grammar needs at this point (most often a `;`, a `)` or a `{`) is missing; add it where the caret points.',
  ],
  ML1013: [
    'Something at the top level is neither a thread (`kernel`, `cpu`, `device`), a `routine` or `secondary` definition, `locations`, `filter`, a final condition (`exists`, `~exists`, `forall`) nor `expect`; rewrite it as one of these.',
  ],
  ML1014: [
    'The initial state block `{ … }` is missing, or comes after threads, definitions or conditions; put it right after the header, the description and `config`.',
  ],
  ML1015: ['The test has no thread; add at least one `kernel`, `cpu` or `device` thread.'],
  ML1016: [
    'A section comes after one that must follow it (the order is header, description, `config`, initial state, definitions and threads, `locations`, `filter`, final condition, `expect`); move it up.',
  ],
  ML1017: [
    'A section that a test has at most once (description, `config`, initial state, `locations`, `filter`, final condition, `expect`) appears a second time; merge the two or remove one.',
  ],
  ML1018: [
    'A `{` is never closed; add the matching `}` at the end of the block (the caret points at the opening brace).',
  ],
  ML1020: [
    'A line of the initial state does not start with a declaration keyword; use one of `vma`, `frame`, `pte`, `pmd`, `ref`, `flag`, `secondary`, `tlb`, `global` and `lock`.',
  ],
  ML1021: [
    'An attribute of a `frame` or a flag of a `pte`, `pmd` or `tlb` entry is not one the language has; use one of those the message lists.',
  ],
  ML1022: [
    'A `vma` lacks `anon` or `file`, or `ro` or `rw`, or gives both of a pair; give exactly one of each, as in `vma v = [0x200000, 0x400000) anon rw;`.',
  ],
  ML1023: ['A `lock` declaration names a kind other than `spinlock`, `mutex` and `rwsem`; use one of these.'],
  ML1024: [
    'The right side of a `pte` or `pmd` declaration is not a frame with flags, `swap(p)`, `migration(p, ro|rw)`, `hwpoison(p)` or `none`; write one of these forms.',
  ],
  ML1030: [
    'An `on NAME(…)` item of a secondary names a callback that the notifier API does not have; use one of those the message lists, spelt as in `struct mmu_notifier_ops`.',
  ],
  ML1031: ['A secondary has two `fault` routines; keep one.'],
  ML1032: [
    'An item of a `secondary` definition is not `state`, `lock`, `on`, `fault` or `walks_cpu_page_table`; write callbacks as `on NAME(params) { … }`.',
  ],
  ML1033: [
    'A `kernel` or `cpu` thread has an `on SECONDARY` clause; only a `device` thread runs on a secondary, so make it a device thread or drop the clause.',
  ],
  ML1040: [
    'A statement was expected but the token cannot start one (a doubled `;`, an `else` without its `if`…); remove the token or write the statement.',
  ],
  ML1041: [
    'The body of `if`, `else`, `while`, `foreach`, `atomic` or `choose` is a single statement without braces; put it in braces `{ … }`.',
  ],
  ML1042: [
    'The left side of `=` is not a plain name (a field, a call, a number); assign to a register or variable, and build new entry values with helpers such as `pte_mkclean(e)` and `set_pte_at`.',
  ],
  ML1043: [
    'An expression that is not a call stands alone as a statement, so its value would be dropped (often `==` typed for `=`); assign it to a register or remove it.',
  ],
  ML1044: ['A `choose` has a single branch, which is no choice; add an `or { … }` branch or drop the `choose`.'],
  ML1045: ['A `foreach` walks something that is not a call; walk `page_vma_mapped_walk(page, vma, address)`.'],
  ML1050: [
    'An expression is missing where the grammar needs one (after `=`, inside parentheses, as an argument); write it.',
  ],
  ML1051: ['An expression or block is nested more than 100 levels deep; split it using registers or routines.'],
  ML1090: [
    'One expression or final condition has more than 1000 binary operators (`+`, `&&`, `/\\`, …); every pass over it recurses as deep as the chain is long, so it is refused rather than risking the stack. Split it with intermediate registers, or the condition into a filter and a condition.',
    [
      [10, 12],
      [50, 52],
    ],
  ],
  ML1052: [
    'Something that is not a name is called, such as a field in `v.start()`; drop the parentheses, or call a routine, primitive or helper by name.',
  ],
  ML1053: [
    'A name carries a variant (`name@v4.13`) but is not called; only routine and secondary names take variants, so add the call `name@v4.13(…)`.',
  ],
  ML1060: [
    'A condition is missing or incomplete in `exists`, `~exists`, `forall` or `filter`; write an atom such as `K0:r0 = 1`, `[p] = 7`, `pte(0x200000) = none` or a property name.',
  ],
  ML1061: ['A comparison in a condition has no value after `=` or `!=`; write a number, a frame name or `none`.'],
  ML1062: [
    "A location is expected in `locations [ … ]` or a condition but something else is there; write `T:reg`, `[frame]`, `pte(address)`, `tlb(owner, address)`, a global, or a secondary's state variable `s.name`.",
  ],
  ML1070: ['An `expect` item is not `never`, `sometimes`, `always`, `safe` or `violates …`; fix its spelling.'],
  ML1071: [
    '`violates` is not followed by a property name; name at least one, as in `expect violates use-after-free;` (`mmu-litmus explain` lists them).',
  ],
  ML1080: [
    'An item of `config` is not `key = value;` with a string, a number or a name as the value; write it in that form, as in `kernel = "v4.13";`.',
  ],
  ML1081: [
    'A `check` switch in `config` lacks its `-` or `+` sign or its property; write `check -PROPERTY;` to turn a property off.',
  ],
  ML1100: [
    'A line starts with a `#` directive other than `#define` (`#include`, `#ifdef`, `#if`…), a `#define` does not start its own line, or it stands inside a block (a body, the initial state); the language has named constants only: write `#define NAME VALUE` on a line of its own, and express conditional code with `if` or routine variants.',
  ],
  ML1101: [
    'A `#define` takes parameters (`#define f(x) …`, the `(` right after the name); only object-like constants are supported: write a constant, or a routine for what the macro computes.',
  ],
  ML2001: [
    'A name read in a thread, routine, callback or condition is not a register assigned in that body, a parameter, a declared frame, vma, lock or global, a state variable of the secondary, or a constant; fix its spelling or declare it.',
  ],
  ML2002: [
    'A call names no routine of the test or the prelude, no primitive and no helper; fix the spelling, or define the routine in the test (`mmu-litmus show NAME` prints a prelude routine).',
  ],
  ML2003: [
    'A routine, primitive, notifier call, `load`/`store` or `page_vma_mapped_walk` is called with the wrong number of arguments; pass as many as the message says.',
  ],
  ML2004: [
    'A primitive or notifier call does not exist in the kernel version the test runs (its `config` or `--kernel`), and the message gives the version that added or removed it; use the API of that kernel, or run the test against another version.',
    [
      [4, 4],
      [19, 19],
    ],
  ],
  ML2005: [
    'A routine calls itself, directly or through other routines; routines are inlined at every call, so write the repetition as a `while` loop.',
    [12, 19],
  ],
  ML2006: [
    'A call that runs steps of its own (a routine, a notifier call, a user access, or a primitive that calls secondary callbacks) is used inside an expression; call it as a statement that stores its result, `r = f(…);`, and use `r`.',
    [10, 12],
  ],
  ML2007: [
    'Something that cannot hold a value is assigned: the result of `load` goes to a global, or a walk cursor is assigned; assign to a register, and copy it to the global in a statement of its own.',
  ],
  ML2008: [
    'A name is declared twice among the frames, vmas, locks, globals, secondaries and threads of the test; rename one of them.',
    [6, 7],
  ],
  ML2009: [
    'The final condition, the filter or `locations` names a thread that does not exist, or a register that the thread never assigns; fix the name, or assign the register in the thread.',
    [10, 14],
  ],
  ML2010: [
    'A property name in `check`, `expect … violates` or a condition is not one of the built-in properties; fix its spelling (`mmu-litmus explain` lists them).',
  ],
  ML2011: [
    'A `break` or `continue` is not inside a `while` or `foreach`; end the thread or routine with `return` instead.',
    [11, 14],
  ],
  ML2012: [
    'A user access (`load` or `store`) is used in a `kernel` thread or inside a secondary; make the accessing thread a `cpu` thread (or a `device` thread on a secondary).',
    [10, 12],
  ],
  ML2013: [
    "A primitive that works on a secondary's own translations (`stlb_fill`, `stlb_zap`, `stlb_lookup`, the `mmu_interval_*` helpers…) is used outside a secondary's callbacks and fault routine; the kernel reaches a secondary only through the `mmu_notifier_*` calls.",
  ],
  ML2014: [
    '`secondary s : KIND;` names a kind (or variant) that neither the test nor the prelude defines; use one the message lists, or define it in the test with `secondary KIND { … }`.',
  ],
  ML2015: [
    "A `tlb` declaration, a device's `on` clause or a `tlb(…)` location names something that is neither a declared secondary nor a cpu thread, or a device thread has no `on` clause; declare the secondary, or fix the name.",
    [8, 9],
  ],
  ML2016: [
    'A routine exists but not in the variant asked for: an explicit `@variant` that is not defined, or, without one, only variants newer than the configured kernel; name a variant that exists, or change the kernel.',
    [
      [4, 4],
      [13, 22],
    ],
  ],
  ML2017: [
    'A `choose` is inside an `atomic` block, which is one step with one outcome; move the `choose` out, with one `atomic` block in each branch if needed.',
    [10, 19],
  ],
  ML2018: [
    'A `config` key is not `kernel` or `check`, or the kernel version is not one of those modelled; use one of the versions the message lists.',
  ],
  ML2020: [
    'A field is not one of a vma (`start`, `end`, `anon`, `shared`, `writable`, `hugetlb`) or of a walk cursor (`address`, `pte`, `pmd`), or a walk cursor is used without a field; use one of these fields.',
  ],
  ML2021: [
    'A device thread accesses memory through a secondary that neither walks the CPU page tables (`walks_cpu_page_table;`) nor has a `fault` routine, so a miss in its TLB could never be resolved; give the secondary one of them.',
    [
      [8, 8],
      [11, 19],
    ],
  ],
  ML2022: [
    'A `foreach` walks something other than `page_vma_mapped_walk(…)`, or `page_vma_mapped_walk_done` is not given the cursor of the `foreach` it is in; pass the cursor the `foreach` names.',
    [10, 16],
  ],
  ML2023: [
    'A lock primitive is given something that is not a lock, a vma helper something that is not a vma, or a page primitive a lock, a vma or a page-table entry instead of a frame; pass the right name (without this check a frame id would silently select the lock with the same number).',
    [11, 14],
  ],
  ML2024: [
    'A `choose` has more than 256 branches, or a test more than 255 threads: a step is recorded by its thread and branch in 16 bits (what replays a trace), so split the choice or the test.',
    [8, 11],
  ],
  ML2030: [
    '`--variant ROUTINE=VARIANT` (or a matrix cell) names a routine that does not exist, or a variant it does not have; the error points at the option, not at the call it would have changed. Name a variant the message lists (`mmu-litmus show ROUTINE` prints them).',
    [10, 25],
  ],
  ML2031: [
    '`--secondary NAME=KIND[@VARIANT]` names a secondary kind (or variant) that neither the test nor the prelude defines, or a kind with no variant for the kernel; use one the message lists.',
    [4, 9],
  ],
  ML2032: [
    "An override has nothing to change: `--secondary NAME=…` names a secondary the test does not register, or `--variant ROUTINE=…` a routine that the compiled test never calls without a variant (routines reached through the prelude count, such as `try_to_unmap_one` called by `try_to_unmap()`). Without this error the run would print the verdict of the test as written, as if it were the override's; name what the message lists.",
    [4, 9],
  ],
  ML2033: [
    "A routine or a secondary kind is defined twice with the same name and variant (in the test, or across the prelude files); one would silently win. Delete or rename one; variants of one name (`zap@v4.13`, `zap@v6.6`) are not duplicates, and a test's definition shadowing the prelude's is allowed.",
    [10, 18],
  ],
  ML2034: [
    'A routine has the name of a primitive (or of an access, a notifier call or a builtin such as `min`): calls of that name reach the primitive, so the routine would never run. Rename the routine.',
    [10, 16],
  ],
  ML2035: [
    '`return e;` in a thread body: a thread has no caller, so the value would be discarded silently. Write `return;` to end the thread, or store the value in a register for the final condition.',
    [10, 13],
  ],
  ML2040: [
    'A `goto` names a label that its body (the thread, routine, callback or fault routine it is in) does not define; labels of a caller or of a called routine are not visible. Fix the spelling or add the label.',
    [13, 17],
  ],
  ML2041: ['A label is defined twice in one body; rename one of them.', [13, 18]],
  ML2042: [
    'A `goto` jumps to a label before it. Only loops jump backward (the partial-order reduction bounds what a thread may still do by its loops); write the retry as a `while` loop.',
    [10, 15],
  ],
  ML2043: [
    'A `goto` jumps to a label inside a block (an `if` or loop body, a `choose` branch, an `atomic` block…) that the goto is not in; a goto may only leave blocks, to a label of its own block or an enclosing one.',
    [10, 17],
  ],
  ML2044: [
    'A `#define` or `enum` member gives a name that is already a constant (of the prelude, of the test, or built in) another value; use another name, or the same value.',
    [4, 6],
  ],
  ML2045: [
    "A constant's value is not a constant expression: it reads a register, a global, a frame, a vma or a lock, calls something, or divides by zero; a constant uses numbers, operators and constants declared before it.",
    [4, 8],
  ],
  ML2090: [
    '`mmu_notifier_unregister(s)` and `mmu_notifier_put(s)` take the name of a secondary registered in the initial state (`secondary s : KIND;`), the subscription that leaves; any other argument is this error.',
  ],
  ML2091: [
    'The secondary named is an interval subscription (its kind implements `invalidate`, as `hmm` does): in the kernel it leaves with `mmu_interval_notifier_remove()`, which the model does not have, not through the hlist calls; unregister a secondary of the hlist.',
    [10, 15],
  ],
  ML2092: [
    'A test that lets a secondary leave tracks which threads each `synchronize_srcu()` waits for in a 32-bit mask, so it may have at most 30 threads; split the test.',
  ],
  ML3001: [
    'An address of the initial state is not a user address (below 2^47) or is not aligned (a page for vma bounds, `pte` and `tlb`, `PMD_SIZE` for `pmd`), or a vma is empty; fix the address.',
  ],
  ML3002: ['Two vmas share an address; make their ranges disjoint (the end of a range is excluded).', [5, 6]],
  ML3003: [
    'A `pte` or `pmd` entry is at an address that no vma contains; declare a vma that covers it, or move the entry.',
    [5, 7],
  ],
  ML3004: [
    'The initial state cannot exist: an entry is declared twice, a present entry maps a `free` frame, or a `ref` is taken on a `free` frame; remove the declaration or make the frame allocated.',
    [7, 9],
  ],
  ML3005: [
    'A `tlb` entry caches a translation the page table does not have: no present entry maps that frame at that address, the entry is read-only but the translation writable, or the entry is clean but the translation dirty; make the `tlb` line agree with the `pte` or `pmd` line.',
    [7, 9],
  ],
  ML3006: [
    'A frame is mapped at the wrong level: a `pmd` entry maps a frame that is not `thp`, or a hugetlb page is mapped by a `pte`; declare the frame `thp`, or map it with the other kind of entry.',
    [6, 7],
  ],
  ML3007: ['`flag p NAME;` names a page flag the model does not have; use one of those the message lists.'],
  ML3008: [
    "An initial value (a frame's content, a global, a secondary's state variable) reads the machine or cannot be computed; write a constant expression.",
  ],
  ML4001: [
    'A thread runs 100,000 statements without a step (a loop that reads and writes only its own registers never ends, since nothing else can change them), or an `atomic` block runs that long; read the shared state again inside the loop, or wait with `await (c);`.',
    [10, 15],
  ],
  ML4002: [
    'A value used as an address (by a primitive, a user access or a walk) is not a user address below 2^47, typically a range computation that wrapped around; fix the computation.',
    [10, 15],
  ],
  ML4003: [
    'A value used as a frame is `NULL` or no frame at all, typically the result of `alloc_page()` or `get_user_pages()` used without a `NULL` check; check the result before using it.',
    [11, 19],
  ],
  ML4004: [
    'A value passed to a lock primitive (`spin_lock`, `mutex_lock`, `down_read`…) turns out, while running, not to be a lock (a conditional that can give NULL); pass a `lock` of the initial state or of the secondary, and take a page-table lock with `pte_lock(address)`.',
    [12, 15],
  ],
  ML4005: [
    "A lock primitive is applied to a lock of another kind (`spin_lock` on a mutex, `mutex_lock` on a rwsem…); use the primitive of the lock's kind, or declare the lock with the kind the code needs.",
    [
      [8, 8],
      [11, 15],
    ],
  ],
  ML4006: [
    'A value used as a vma (by a field such as `.end` or a vma primitive) is not one, typically the result of `find_vma()` used without a `NULL` check; check the result before using it.',
    [10, 14],
  ],
  ML4008: ['An integer division or remainder divides by zero; guard the division.', [10, 13]],
  ML4010: [
    "A primitive that changes a page-table entry (`set_pte_at`, `pte_clear`, `set_pmd_at`, …) was given an address that is not aligned to the entry's size (a page for a pte, 2 MiB for a pmd or hugetlb entry); the model does not round it silently, as the initial state does not accept it (ML3001). Pass the entry's address, for example `ALIGN_DOWN(a, PAGE_SIZE)` or `a & PMD_MASK`; lookups such as `ptep_get` take any address.",
    [10, 13],
  ],
  ML4011: [
    'A step sets a page-table entry at an address that no vma contains, a state the initial state rejects (ML3003); set entries only inside a vma.',
    [10, 13],
  ],
  ML4012: [
    'A step installs a present huge (pmd) entry that maps a frame not declared `thp`, or over a region whose PTE table still maps pages, states the initial state rejects (ML3006); map a `thp` frame, and clear the PTEs first.',
    [10, 13],
  ],
  ML4040: [
    'A hugetlb primitive (`huge_ptep_get`, `huge_ptep_clear_flush`, `set_huge_pte_at`, `set_huge_swap_pte_at`) is given an address that no hugetlb vma contains: the kernel calls them only through the `pte_t *` of a hugetlb entry. Use the `ptep_*` primitives for other pages (they reach a hugetlb entry too, as in the kernel), or declare the vma `hugetlb`.',
    [4, 13],
  ],
  ML4050: [
    'An mmu_gather primitive (`tlb_remove_tlb_entry`, `tlb_remove_pmd_tlb_entry`, `__tlb_remove_page`, `tlb_remove_page`, `__tlb_reset_range`, `tlb_flush_mmu*`, `tlb_finish_mmu`) runs in a thread that has no gather: call `tlb_gather_mmu(start, end)` (or `tlb_gather_mmu_fullmm()`) first, as every kernel zap path does.',
    [12, 17],
  ],
  ML4051: [
    "The model keeps one mmu_gather per thread (the kernel's lives on the stack of the function that unmaps, and no modelled path nests two): finish the first with `tlb_finish_mmu` before gathering again.",
    [10, 14],
  ],
  ML4052: [
    'A page handed to the gather is put once by `tlb_flush_mmu_free`; handing it over more often than it has references would drop a reference nobody holds. Each call hands over one reference — the one of the entry just cleared.',
    [12, 22],
  ],
  ML4053: [
    "A thread ended while its mmu_gather was still in use: its TLB flush and the references it holds would be lost. The kernel's zap paths always end with `tlb_finish_mmu`, which flushes and frees.",
    [12, 20],
  ],
  ML4054: [
    'A thread ended holding mmap_lock (for read or for write): every `mmap_read_lock`/`mmap_write_lock` needs its unlock (`mmap_read_unlock` after a `mmap_write_downgrade`), as in the kernel, where a task that returned to user space with it held would block every later fault and munmap of the mm.',
    [12, 16],
  ],
  ML4080: [
    "A secondary was unregistered or put a second time: the kernel would drop a reference to the mm (`mmdrop()`) and to the subscription that the driver no longer holds. Each subscription leaves once (an unregister after exit's `mmu_notifier_release()` unhashed it is fine: that is not leaving twice).",
    [11, 14],
  ],
  ML4081: [
    "`synchronize_srcu()` — in `mmu_notifier_unregister()` or `mmu_notifier_synchronize()`, or in exit's `mmu_notifier_release()` — was reached inside an SRCU read-side section, i.e. from a notifier callback: it waits for every walk under way, its own among them, so the kernel deadlocks there. A driver must not unregister from its callbacks (`mmu_notifier_put()` may be called from `->release`).",
    [10, 22],
  ],
  ML6001: [
    'The C of an imported function (or of a helper it calls) does not parse: tree-sitter put an error node in its body, often a macro that is not C or a typo. Fix the C, or import a function without the construct.',
  ],
  ML6002: [
    'No function of that name is defined in the C file (declarations and macros do not count); check the spelling and the file.',
  ],
  ML6003: [
    'The mapping table has rows written and checked only for some kernel versions (docs/import.md); `--kernel` must name one of them, because call signatures change between versions.',
  ],
  ML6004: [
    'A call has no row in the mapping table for this kernel version (or has rows only for other versions or another number of arguments), and no function of that name is defined in the file to import as a helper. Add a row to `src/import/mapping.ts` (and docs/import.md), or import a different function.',
  ],
  ML6005: [
    'A C statement or expression has no equivalent in the litmus language (a pointer the model does not know, a comma or `++` inside a larger expression, a `while` condition that calls a routine, …); rewrite it in the C you import or extend the importer. `for`, `do … while` and `switch` have mappings of their own (ML6014–ML6016).',
  ],
  ML6006: [
    'An iterator macro (`list_for_each_entry`, `*for_each*`) looks to the C parser like a call followed by a block, so its loop would be lost silently; the importer refuses it instead.',
  ],
  ML6007: [
    'An `#ifdef`, `#if` or `IS_ENABLED()` tests a config option that has no default in the mapping table; give its value with `--config CONFIG_NAME=y` or `=n`.',
  ],
  ML6008: [
    'A `goto` jumps to a label before it (or to none): the litmus language has forward `goto` only, in the same routine.',
  ],
  ML6009: [
    'A name is neither a local, a parameter, a constant of the language nor a constant of the mapping table (kernel globals such as `nr_cpu_ids` are not modelled).',
  ],
  ML6010: [
    "A field access has no mapping: the importer knows the walk's `pvmw.pte`/`.pmd`/`.address`, the VMA's `vm_start`/`vm_end`/`vm_flags & VM_*`, and the notifier range's `start`/`end`.",
  ],
  ML6011: [
    'A GNU statement expression `({ … })` is translated only as a whole statement or as the whole value of an assignment; assign it to a local first.',
  ],
  ML6012: [
    'The v6.x forms of the walk are mapped as the kernel writes them: `DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags)` with five arguments, `vma_address_end(&pvmw)` on a walk that has not started yet, and `adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end)` as a statement on a `struct mmu_notifier_range` of the function. Another use of them has no mapping.',
  ],
  ML6013: [
    "A walk is the loop of the routine that sets it up: it may be handed to a same-file helper before it starts (`page_vma_mkclean_one(&pvmw)`: the helper takes its folio, vma and address) and its flags may be set to `PVMW_SYNC` before it starts (the model's walk always syncs). Passing it on after it started, passing a `PVMW_MIGRATION` walk, or setting other flags would change what the model's walk does, so it has no mapping.",
  ],
  ML6014: [
    'A `for (init; cond; update)` loop becomes `init; while (cond) { body; update; }`, a `continue` of the loop jumping to the update. Its initialiser and update must be assignments, `++`/`--` or calls (comma-separated), and its condition must be an expression the model evaluates in one go: a condition that calls a routine or a notifier, or that contains a comma, would run differently.',
  ],
  ML6015: [
    'A `do … while (cond);` loop becomes `while (true) { body; if (!(cond)) break; }`, a `continue` jumping to the test. A condition with a comma (`page++, --nr > 0`) has no mapping: move the steps into the body.',
  ],
  ML6016: [
    'The language has no `switch`: it becomes an if / else-if chain on the value. That is faithful only when no case falls through into the next one (each ends with `break`, `return`, `goto` or `continue`; cases that share a body, `case A: case B:`, are fine) and `break` is the last statement of its case. Rewrite the switch otherwise.',
  ],
  ML7001: [
    "`check-patch` reads a unified diff (`git format-patch`, `git diff`, `diff -u`): after a file's `---` and `+++` lines come hunks, each an `@@ -A,B +C,D @@` header followed by exactly B old and D new lines, each starting with a space (context), `-` (removed) or `+` (added). A line that starts otherwise, a hunk shorter or longer than its header, or a file without any diff is reported at the line; regenerate the patch rather than editing it by hand.",
  ],
  ML7002: [
    "Every context and removed line of a hunk must read exactly as in the base, at the line the hunk header names (as `git apply` without offsets or fuzz): the patch was made against another version of the file. Give the file the patch was made against as `--base` (its blob hash is on the patch's `index` line), or rebase the patch.",
  ],
  ML7003: [
    'The hunks change no function that is a routine of `litmus/matrix.json` (nor a same-file helper that such a routine calls), so there is no scenario to run before and after; the message names what the patch does change.',
  ],
  ML7004: [
    '`check-patch` checks a patch to one C file against its `--base`; split the patch, keeping the part to that file (`git format-patch -- mm/rmap.c`).',
  ],
  ML7005: [
    "A warning: the git blob hash of `--base` (`git hash-object`) is not the pre-image blob named on the patch's `index OLD..NEW` line. The hunks still applied exactly, so the check runs, but on a file that differs from the one the patch was made against somewhere outside the hunks; give that file as `--base` for verdicts about the patch as posted.",
  ],
  ML7006: [
    'A routine of the matrix is in the pre-image and not in the post-image (the patch removes or renames it), or the other way round: there is no before or after to compare. Check the renamed routine by hand with `mmu-litmus import` and `mmu-litmus run`.',
  ],
};
