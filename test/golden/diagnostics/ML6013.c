// args: --function migrate_walk --kernel v6.6
// A walk that sets PVMW_MIGRATION after it was declared (the model's walk takes it at the start).
static bool migrate_walk(struct folio *folio, struct vm_area_struct *vma,
		unsigned long addr, void *arg)
{
	DEFINE_FOLIO_VMA_WALK(walk, folio, vma, addr, 0);

	walk.flags = PVMW_MIGRATION;
	while (page_vma_mapped_walk(&walk))
		folio_mark_dirty(folio);
	return true;
}
