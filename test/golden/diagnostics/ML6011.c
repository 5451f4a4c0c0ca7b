// args: --function sum_one --kernel v4.13
// A statement expression inside a larger expression.
static int sum_one(struct page *page)
{
	int n = 1 + ({ int c = page_count(page); c; });

	return n;
}
