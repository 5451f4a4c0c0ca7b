// args: --function missing_one --kernel v4.13
// The file defines present_one, not missing_one.
static int present_one(struct page *page)
{
	return page_count(page);
}
