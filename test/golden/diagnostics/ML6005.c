// args: --function page_bytes --kernel v4.13
// The model has no sizeof.
static int page_bytes(struct page *page)
{
	int n = sizeof(struct page);

	return n;
}
