// args: --function offset_one --kernel v4.13
// The model's VMA has no file offset.
static unsigned long offset_one(struct vm_area_struct *vma)
{
	return vma->vm_pgoff;
}
