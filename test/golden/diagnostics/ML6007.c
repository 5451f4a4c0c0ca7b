// args: --function maybe_one --kernel v4.13
// CONFIG_FROBNICATE has no default in the mapping table and no --config.
static int maybe_one(struct page *page)
{
#ifdef CONFIG_FROBNICATE
	return 1;
#else
	return page_count(page);
#endif
}
