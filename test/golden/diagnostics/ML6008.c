// args: --function retry_one --kernel v4.13
// A backward goto: the language has forward goto only.
static int retry_one(struct page *page)
{
	int n = 0;

again:
	n++;
	if (!trylock_page(page))
		goto again;
	return n;
}
