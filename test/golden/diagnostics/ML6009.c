// args: --function cpus_one --kernel v4.13
// nr_cpu_ids is a kernel global the model does not have.
static int cpus_one(struct page *page)
{
	return nr_cpu_ids;
}
