// args: --function range_end --kernel v6.6
// vma_address_end() of an address, not of a walk that has not started.
static unsigned long range_end(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long end = vma_address_end(addr);

	return end;
}
