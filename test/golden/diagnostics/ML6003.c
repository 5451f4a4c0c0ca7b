// args: --function count_one --kernel v5.5
// The mapping table has no rows written and checked for v5.5.
static int count_one(struct page *page)
{
	return page_count(page);
}
