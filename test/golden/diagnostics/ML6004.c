// args: --function age_one --kernel v4.13
// frobnicate_page() is neither in the mapping table nor defined in this file.
static int age_one(struct page *page)
{
	frobnicate_page(page);
	return 0;
}
