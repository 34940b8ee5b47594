// SPDX-License-Identifier: GPL-2.0
/*
 * xsk_seq - an AF_XDP socket on one queue of a port, for 66-xsk.sh.
 *
 * It binds to DEV queue Q (zero-copy or copy, the XDP program attached in
 * driver or skb mode) with need_wakeup, using libxdp's default xsk
 * program, and then:
 *
 *   rx   counts the UDP frames to PORT and checks their payloads: a magic,
 *        a 64-bit sequence number and a pattern derived from it, the IPv4
 *        and UDP checksums; reports received/lost/out-of-order/pps;
 *   tx   sends COUNT UDP frames with sequence numbers from the UMEM (the
 *        socket has an RX ring too, unused, so that libxdp attaches its
 *        program: a zero-copy driver sends from its XDP TX rings, which
 *        exist while a program is attached; --tx-only leaves it out);
 *   fwd  echoes the UDP frames to PORT back where they came from (MACs,
 *        addresses and ports swapped, in place), checking them as rx does.
 *
 * Payload layout (xsk_peer.py builds and checks the same): u32 magic
 * "VXSQ", u32 payload length, u64 sequence number, all big-endian, then
 * byte i (counted from the payload's start) = (seq * 7 + i) & 0xff.
 *
 * With --linger S it stays bound S seconds after the summary, or until
 * SIGTERM, so that the caller reads the driver's counters while the
 * socket still holds its rings, and chooses when the program goes.
 *
 * The last line is the summary, "XSK_SEQ key=value ...". Exit status: 0
 * good; 1 a payload error (bad, duplicate or out-of-order frames); 2 the
 * socket could not be set up (the line "XSK_SEQ setup=failed step=... errno=NAME");
 * 3 fewer frames than --count came (minus --max-lost), or TX frames never
 * completed.
 *
 * Build: gcc -O2 -Wall -o xsk_seq xsk_seq.c -lxdp -lbpf (Debian's
 * libxdp-dev and libbpf-dev).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#define XSK_SEQ_MAGIC	0x56585351u	/* "VXSQ" */
#define XSK_SEQ_HDR	16		/* magic, length, sequence number */
#define NUM_FRAMES	4096
#define RING_SIZE	2048
#define BATCH		64
#define HDRS_LEN	(sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr))

enum xsk_seq_mode { MODE_RX, MODE_TX, MODE_FWD };

struct xsk_seq_opts {
	enum xsk_seq_mode mode;
	const char *dev;
	unsigned int queue;
	bool zerocopy, copy, skb;
	bool spin;		/* no poll(): syscalls only when need_wakeup asks */
	bool tx_only;		/* tx: no RX ring, so libxdp attaches no program */
	bool no_udp_csum;	/* veth: the stack leaves the UDP checksum partial;
				 * fwd computes it then */
	unsigned long long count;
	unsigned long long start;
	unsigned long long max_lost;
	double timeout;		/* whole run, seconds */
	double idle;		/* rx/fwd: end after this long without a frame */
	unsigned int port;
	unsigned int size;	/* tx: UDP payload bytes */
	unsigned int frame_size;
	unsigned int fill;	/* rx/fwd: frames in the fill ring at the start */
	unsigned long rate;	/* tx: frames a second, 0 = as fast as it goes */
	double linger;		/* seconds bound after the summary (until SIGTERM) */
	const char *ready;	/* written (our pid) once bound */
	const char *go;		/* if set, start only once it exists */
	unsigned char src_mac[ETH_ALEN], dst_mac[ETH_ALEN];
	bool have_src_mac, have_dst_mac;
	struct in_addr src_ip, dst_ip;
};

struct xsk_seq_stats {
	unsigned long long frames;	/* every frame the socket received */
	unsigned long long received;	/* of them, UDP to our port */
	unsigned long long unique, dup, ooo, bad, other;
	/* why frames were bad: IPv4 checksum, lengths, UDP checksum, payload */
	unsigned long long bad_ipsum, bad_len, bad_udpsum, bad_payload;
	unsigned long long first, last;	/* lowest and highest sequence seen */
	unsigned long long sent, completed, fwd;
	unsigned long long wakeups;	/* syscalls made because need_wakeup said so */
	unsigned long long polls;
	unsigned long long need_wakeup_seen;	/* times the fill ring asked for one */
	unsigned long long tx_kick_errors;
	double t_first, t_last;
	bool seen_any;
};

struct xsk_seq {
	struct xsk_seq_opts o;
	struct xsk_seq_stats s;
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
	int fd;
	bool zc_active;
	/* frames free for TX (tx mode) */
	uint64_t free_frames[NUM_FRAMES];
	unsigned int nfree;
	unsigned long long outstanding;
	/* sequence numbers seen, one bit each, for duplicates */
	uint8_t *seen;
	unsigned long long seen_bits;
	unsigned long long max_seq;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "unknown";
}

static void setup_failed(const char *step, int err)
{
	fprintf(stderr, "xsk_seq: %s: %s\n", step, strerror(err));
	printf("XSK_SEQ setup=failed step=%s errno=%s error=%d\n", step, errname(err), err);
	fflush(stdout);
	exit(2);
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/* The UDP checksum over the pseudo header and the datagram, host order. */
static uint16_t udp_csum(const struct iphdr *iph, const struct udphdr *udph, size_t ulen)
{
	uint32_t sum = 0;

	sum = csum_add(sum, &iph->saddr, 4);
	sum = csum_add(sum, &iph->daddr, 4);
	sum += IPPROTO_UDP;
	sum += ulen;
	sum = csum_add(sum, udph, ulen);
	return csum_fold(sum);
}

static void fill_payload(uint8_t *p, unsigned int len, uint64_t seq)
{
	uint32_t v;
	unsigned int i;

	v = htonl(XSK_SEQ_MAGIC);
	memcpy(p, &v, 4);
	v = htonl(len);
	memcpy(p + 4, &v, 4);
	v = htonl(seq >> 32);
	memcpy(p + 8, &v, 4);
	v = htonl((uint32_t)seq);
	memcpy(p + 12, &v, 4);
	for (i = XSK_SEQ_HDR; i < len; i++)
		p[i] = (uint8_t)(seq * 7 + i);
}

/* Build one frame at @frame; returns its length. */
static unsigned int build_frame(struct xsk_seq *x, uint8_t *frame, uint64_t seq)
{
	struct ethhdr *eth = (struct ethhdr *)frame;
	struct iphdr *iph = (struct iphdr *)(eth + 1);
	struct udphdr *udph = (struct udphdr *)(iph + 1);
	unsigned int ulen = sizeof(*udph) + x->o.size;
	uint16_t c;

	memcpy(eth->h_dest, x->o.dst_mac, ETH_ALEN);
	memcpy(eth->h_source, x->o.src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->tot_len = htons(sizeof(*iph) + ulen);
	iph->id = htons((uint16_t)seq);
	iph->saddr = x->o.src_ip.s_addr;
	iph->daddr = x->o.dst_ip.s_addr;
	iph->check = htons(csum_fold(csum_add(0, iph, sizeof(*iph))));
	udph->source = htons(x->o.port);
	udph->dest = htons(x->o.port);
	udph->len = htons(ulen);
	udph->check = 0;
	fill_payload((uint8_t *)(udph + 1), x->o.size, seq);
	c = udp_csum(iph, udph, ulen);
	udph->check = htons(c ? c : 0xffff);
	return HDRS_LEN + x->o.size;
}

static void note_seq(struct xsk_seq *x, uint64_t seq)
{
	struct xsk_seq_stats *s = &x->s;
	unsigned long long rel;

	if (!s->seen_any || seq < s->first)
		s->first = seq;
	if (s->seen_any && seq <= x->max_seq)
		s->ooo++;	/* counted again below if it is a duplicate */
	if (!s->seen_any || seq > x->max_seq)
		x->max_seq = seq;
	s->last = x->max_seq;
	s->seen_any = true;

	rel = seq - x->o.start;
	if (seq >= x->o.start && rel < x->seen_bits) {
		if (x->seen[rel / 8] & (1u << (rel % 8))) {
			s->dup++;
			s->ooo--;
			return;
		}
		x->seen[rel / 8] |= 1u << (rel % 8);
	}
	s->unique++;
}

/*
 * Check one received frame. Returns 1 if it is ours and good, 0 if it is
 * not ours (not UDP to our port), -1 if it is ours and broken.
 */
static int check_frame(struct xsk_seq *x, const uint8_t *frame, unsigned int len)
{
	const struct ethhdr *eth = (const void *)frame;
	const struct iphdr *iph = (const void *)(eth + 1);
	const struct udphdr *udph = (const void *)(iph + 1);
	const uint8_t *p = (const uint8_t *)(udph + 1);
	unsigned int ulen, plen, i;
	uint32_t magic, plen_field, hi, lo;
	uint64_t seq;

	if (len < HDRS_LEN || eth->h_proto != htons(ETH_P_IP) || iph->version != 4 ||
	    iph->ihl != 5 || iph->protocol != IPPROTO_UDP || ntohs(udph->dest) != x->o.port)
		return 0;
	x->s.received++;
	if (csum_fold(csum_add(0, iph, sizeof(*iph))) != 0) {
		x->s.bad_ipsum++;
		return -1;
	}
	ulen = ntohs(udph->len);
	if (ulen < sizeof(*udph) + XSK_SEQ_HDR || sizeof(*eth) + sizeof(*iph) + ulen > len ||
	    ntohs(iph->tot_len) != sizeof(*iph) + ulen) {
		x->s.bad_len++;
		return -1;
	}
	if (udph->check && udp_csum(iph, udph, ulen) != 0 && !x->o.no_udp_csum) {
		x->s.bad_udpsum++;
		return -1;
	}
	plen = ulen - sizeof(*udph);
	memcpy(&magic, p, 4);
	memcpy(&plen_field, p + 4, 4);
	memcpy(&hi, p + 8, 4);
	memcpy(&lo, p + 12, 4);
	if (ntohl(magic) != XSK_SEQ_MAGIC || ntohl(plen_field) != plen) {
		x->s.bad_payload++;
		return -1;
	}
	seq = ((uint64_t)ntohl(hi) << 32) | ntohl(lo);
	for (i = XSK_SEQ_HDR; i < plen; i++) {
		if (p[i] != (uint8_t)(seq * 7 + i)) {
			x->s.bad_payload++;
			return -1;
		}
	}
	note_seq(x, seq);
	return 1;
}

static void swap_frame(uint8_t *frame, bool fix_udp_csum)
{
	struct ethhdr *eth = (struct ethhdr *)frame;
	struct iphdr *iph = (struct iphdr *)(eth + 1);
	struct udphdr *udph = (struct udphdr *)(iph + 1);
	unsigned char mac[ETH_ALEN];
	uint32_t a;
	uint16_t port;

	/* Swapping the fields of a sum leaves both checksums right. */
	memcpy(mac, eth->h_dest, ETH_ALEN);
	memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	memcpy(eth->h_source, mac, ETH_ALEN);
	a = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = a;
	port = udph->source;
	udph->source = udph->dest;
	udph->dest = port;
	if (fix_udp_csum) {
		uint16_t c;

		udph->check = 0;
		c = udp_csum(iph, udph, ntohs(udph->len));
		udph->check = htons(c ? c : 0xffff);
	}
}

static void kick_tx(struct xsk_seq *x)
{
	if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EBUSY && errno != ENOBUFS && errno != EINTR)
		x->s.tx_kick_errors++;
}

static void kick_rx(struct xsk_seq *x)
{
	x->s.wakeups++;
	recvfrom(x->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

/* Wait for the socket: poll() (which also wakes the driver when it asked
 * to be woken), or with --spin a short sleep that does not touch it.
 */
static void wait_socket(struct xsk_seq *x, short events)
{
	struct pollfd pfd = { .fd = x->fd, .events = events };

	if (x->o.spin) {
		usleep(100);
		return;
	}
	x->s.polls++;
	poll(&pfd, 1, 50);
}

static void refill(struct xsk_seq *x, const uint64_t *addrs, unsigned int n)
{
	unsigned int i;
	uint32_t idx = 0;

	while (xsk_ring_prod__reserve(&x->fill, n, &idx) != n) {
		if (stop_requested)
			return;
		if (xsk_ring_prod__needs_wakeup(&x->fill))
			kick_rx(x);
		usleep(10);
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fill, idx + i) = addrs[i];
	xsk_ring_prod__submit(&x->fill, n);
}

static unsigned int reap_completions(struct xsk_seq *x, uint64_t *addrs)
{
	unsigned int n, i;
	uint32_t idx = 0;

	n = xsk_ring_cons__peek(&x->comp, BATCH, &idx);
	for (i = 0; i < n; i++)
		addrs[i] = *xsk_ring_cons__comp_addr(&x->comp, idx + i);
	if (n)
		xsk_ring_cons__release(&x->comp, n);
	x->s.completed += n;
	x->outstanding -= n;
	return n;
}

static bool rx_done(struct xsk_seq *x, double t0)
{
	double t = now_s();

	if (stop_requested || t - t0 > x->o.timeout)
		return true;
	if (x->o.count && x->s.unique >= x->o.count &&
	    (x->o.mode == MODE_RX || !x->outstanding))
		return true;
	return x->s.seen_any && x->o.idle > 0 && t - x->s.t_last > x->o.idle;
}

/* fwd: put @n frames (addresses and lengths) on the TX ring. */
static void forward(struct xsk_seq *x, const struct xdp_desc *out, unsigned int n)
{
	uint64_t addrs[BATCH];
	unsigned int i, done;
	uint32_t idx = 0;

	while (xsk_ring_prod__reserve(&x->tx, n, &idx) != n) {
		if (stop_requested)
			return;
		kick_tx(x);
		done = reap_completions(x, addrs);
		if (done)
			refill(x, addrs, done);
		else
			usleep(10);
	}
	for (i = 0; i < n; i++)
		*xsk_ring_prod__tx_desc(&x->tx, idx + i) = out[i];
	xsk_ring_prod__submit(&x->tx, n);
	x->s.fwd += n;
	x->outstanding += n;
	if (xsk_ring_prod__needs_wakeup(&x->tx))
		kick_tx(x);
}

static void run_rx(struct xsk_seq *x)
{
	uint64_t addrs[BATCH];
	struct xdp_desc out[BATCH];
	unsigned int n, i, nfill, nout;
	double t0 = now_s();
	uint32_t idx = 0;

	while (!rx_done(x, t0)) {
		if (x->o.mode == MODE_FWD && x->outstanding) {
			/* Frames sent back return to the fill ring. */
			n = reap_completions(x, addrs);
			if (n)
				refill(x, addrs, n);
		}
		n = xsk_ring_cons__peek(&x->rx, BATCH, &idx);
		if (!n) {
			if (xsk_ring_prod__needs_wakeup(&x->fill)) {
				x->s.need_wakeup_seen++;
				kick_rx(x);
			}
			if (x->o.mode == MODE_FWD && x->outstanding &&
			    xsk_ring_prod__needs_wakeup(&x->tx))
				kick_tx(x);
			wait_socket(x, POLLIN);
			continue;
		}
		nfill = 0;
		nout = 0;
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, idx + i);
			uint8_t *frame = xsk_umem__get_data(x->area, d->addr);
			int r = check_frame(x, frame, d->len);

			x->s.frames++;
			if (r < 0) {
				x->s.bad++;
			} else if (r == 0) {
				x->s.other++;
			} else {
				x->s.t_last = now_s();
				if (!x->s.t_first)
					x->s.t_first = x->s.t_last;
			}
			if (r > 0 && x->o.mode == MODE_FWD) {
				swap_frame(frame, x->o.no_udp_csum);
				out[nout].addr = d->addr;
				out[nout].len = d->len;
				out[nout].options = 0;
				nout++;
			} else {
				addrs[nfill++] = d->addr;
			}
		}
		xsk_ring_cons__release(&x->rx, n);
		if (nfill)
			refill(x, addrs, nfill);
		if (nout)
			forward(x, out, nout);
	}
}

static void run_tx(struct xsk_seq *x)
{
	uint64_t addrs[BATCH];
	double t0 = now_s(), t_end;
	unsigned long long budget;
	unsigned int n, i, want;
	uint32_t idx = 0;

	while (x->s.sent < x->o.count && !stop_requested) {
		if (now_s() - t0 > x->o.timeout)
			break;
		n = reap_completions(x, addrs);
		for (i = 0; i < n; i++)
			x->free_frames[x->nfree++] = addrs[i];
		want = BATCH;
		if (x->o.count - x->s.sent < want)
			want = x->o.count - x->s.sent;
		if (x->nfree < want)
			want = x->nfree;
		if (x->o.rate) {
			budget = (unsigned long long)((now_s() - t0) * x->o.rate) + 1;
			budget = budget > x->s.sent ? budget - x->s.sent : 0;
			if (budget < want)
				want = budget;
		}
		if (want)
			want = xsk_ring_prod__reserve(&x->tx, want, &idx);
		if (!want) {
			if (xsk_ring_prod__needs_wakeup(&x->tx))
				kick_tx(x);
			if (x->o.rate)
				usleep(200);
			else
				wait_socket(x, POLLOUT);
			continue;
		}
		for (i = 0; i < want; i++) {
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&x->tx, idx + i);
			uint64_t addr = x->free_frames[--x->nfree];

			d->addr = addr;
			d->len = build_frame(x, xsk_umem__get_data(x->area, addr),
					     x->o.start + x->s.sent + i);
		}
		xsk_ring_prod__submit(&x->tx, want);
		x->s.sent += want;
		x->outstanding += want;
		if (!x->s.t_first)
			x->s.t_first = now_s();
		if (xsk_ring_prod__needs_wakeup(&x->tx)) {
			x->s.wakeups++;
			kick_tx(x);
		}
	}
	/* Every frame must come back on the completion ring. */
	t_end = now_s() + 5;
	while (x->outstanding && now_s() < t_end && !stop_requested) {
		if (!reap_completions(x, addrs)) {
			if (xsk_ring_prod__needs_wakeup(&x->tx))
				kick_tx(x);
			usleep(1000);
		}
	}
	x->s.t_last = now_s();
}

static void read_mac(const char *dev, unsigned char *mac)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		setup_failed("socket", errno);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		setup_failed("SIOCGIFHWADDR", errno);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
}

static void setup(struct xsk_seq *x)
{
	struct xsk_umem_config ucfg = {
		.fill_size = RING_SIZE,
		.comp_size = RING_SIZE,
		.frame_size = x->o.frame_size,
		.frame_headroom = 0,
	};
	struct xsk_socket_config cfg = {
		.rx_size = RING_SIZE,
		.tx_size = RING_SIZE,
	};
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct xdp_options xopts;
	socklen_t optlen = sizeof(xopts);
	size_t size = (size_t)NUM_FRAMES * x->o.frame_size;
	uint64_t addrs[RING_SIZE];
	unsigned int i;
	int err;

	setrlimit(RLIMIT_MEMLOCK, &rl);
	x->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED)
		setup_failed("mmap", errno);
	err = xsk_umem__create(&x->umem, x->area, size, &x->fill, &x->comp, &ucfg);
	if (err)
		setup_failed("umem", -err);

	cfg.xdp_flags = x->o.skb ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	cfg.bind_flags = XDP_USE_NEED_WAKEUP;
	if (x->o.zerocopy)
		cfg.bind_flags |= XDP_ZEROCOPY;
	if (x->o.copy)
		cfg.bind_flags |= XDP_COPY;
	err = xsk_socket__create(&x->xsk, x->o.dev, x->o.queue, x->umem,
				 x->o.tx_only ? NULL : &x->rx,
				 x->o.mode == MODE_RX ? NULL : &x->tx, &cfg);
	if (err)
		setup_failed("bind", -err);
	x->fd = xsk_socket__fd(x->xsk);
	if (getsockopt(x->fd, SOL_XDP, XDP_OPTIONS, &xopts, &optlen) == 0)
		x->zc_active = xopts.flags & XDP_OPTIONS_ZEROCOPY;

	if (x->o.mode == MODE_TX) {
		for (i = 0; i < NUM_FRAMES; i++)
			x->free_frames[x->nfree++] = (uint64_t)i * x->o.frame_size;
	} else {
		/*
		 * As many frames as the fill ring holds wait in it; fewer with
		 * --fill, so that the driver runs short and has to ask for a
		 * wakeup (need_wakeup) each time it used them up.
		 */
		for (i = 0; i < x->o.fill; i++)
			addrs[i] = (uint64_t)i * x->o.frame_size;
		refill(x, addrs, x->o.fill);
	}
	if (x->o.count && x->o.mode != MODE_TX) {
		x->seen_bits = x->o.count;
		x->seen = calloc((x->seen_bits + 7) / 8, 1);
		if (!x->seen)
			setup_failed("calloc", ENOMEM);
	}
	if (x->o.ready) {
		FILE *f = fopen(x->o.ready, "w");

		if (f) {
			fprintf(f, "%d\n", getpid());
			fclose(f);
		}
	}
	fprintf(stderr, "xsk_seq: bound to %s queue %u (%s, %s)\n", x->o.dev, x->o.queue,
		x->zc_active ? "zero-copy" : "copy", x->o.skb ? "skb" : "drv");
}

static int report(struct xsk_seq *x)
{
	struct xsk_seq_stats *s = &x->s;
	struct xdp_statistics st = { 0 };
	socklen_t optlen = sizeof(st);
	const char *mode[] = { "rx", "tx", "fwd" };
	unsigned long long expected, lost = 0;
	double secs = s->t_last - s->t_first;
	double pps;
	int rc = 0;

	getsockopt(x->fd, SOL_XDP, XDP_STATISTICS, &st, &optlen);
	if (x->o.mode == MODE_TX) {
		pps = secs > 0 ? s->completed / secs : 0;
		if (s->completed < x->o.count || s->sent < x->o.count)
			rc = 3;
	} else {
		expected = x->o.count ? x->o.count :
			   (s->seen_any ? s->last - s->first + 1 : 0);
		lost = expected > s->unique ? expected - s->unique : 0;
		pps = secs > 0 ? (s->unique - 1) / secs : 0;
		if (s->bad || s->dup || s->ooo)
			rc = 1;
		else if (x->o.count && lost > x->o.max_lost)
			rc = 3;
	}
	printf("XSK_SEQ mode=%s dev=%s queue=%u bind=%s attach=%s zc=%d frames=%llu received=%llu unique=%llu lost=%llu ooo=%llu dup=%llu bad=%llu bad_ipsum=%llu bad_len=%llu bad_udpsum=%llu bad_payload=%llu other=%llu first=%llu last=%llu sent=%llu completed=%llu fwd=%llu seconds=%.3f pps=%.0f wakeups=%llu need_wakeup_seen=%llu polls=%llu kick_errors=%llu rx_dropped=%llu rx_invalid_descs=%llu tx_invalid_descs=%llu rx_ring_full=%llu rx_fill_ring_empty=%llu tx_ring_empty=%llu status=%d\n",
	       mode[x->o.mode], x->o.dev, x->o.queue,
	       x->o.zerocopy ? "zerocopy" : x->o.copy ? "copy" : "any",
	       x->o.skb ? "skb" : "drv", x->zc_active,
	       s->frames, s->received, s->unique, lost, s->ooo, s->dup, s->bad,
	       s->bad_ipsum, s->bad_len, s->bad_udpsum, s->bad_payload, s->other,
	       s->seen_any ? s->first : 0, s->seen_any ? s->last : 0,
	       s->sent, s->completed, s->fwd, secs, pps,
	       s->wakeups, s->need_wakeup_seen, s->polls, s->tx_kick_errors,
	       (unsigned long long)st.rx_dropped, (unsigned long long)st.rx_invalid_descs,
	       (unsigned long long)st.tx_invalid_descs, (unsigned long long)st.rx_ring_full,
	       (unsigned long long)st.rx_fill_ring_empty_descs,
	       (unsigned long long)st.tx_ring_empty_descs, rc);
	fflush(stdout);
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xsk_seq rx|tx|fwd -i DEV [-q QUEUE] [--zerocopy|--copy] [--skb|--drv]\n"
		"         [--spin] [--no-udp-csum] [--port P] [--count N] [--start SEQ] [--max-lost N]\n"
		"         [--timeout S] [--idle S] [--ready FILE] [--go FILE]\n"
		"         [--frame-size 2048|4096]\n"
		"         [--fill N (1-2048)] [--linger S]\n"
		"  tx:    --dst-mac MAC --src-ip A --dst-ip A [--src-mac MAC] [--size BYTES]\n"
		"         [--rate PPS] [--tx-only]\n");
	exit(2);
}

static void parse_mac(const char *s, unsigned char *mac)
{
	if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
		   &mac[3], &mac[4], &mac[5]) != 6)
		usage();
}

static void parse_ip(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1)
		usage();
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dev", required_argument, NULL, 'i' },
		{ "queue", required_argument, NULL, 'q' },
		{ "zerocopy", no_argument, NULL, 'z' },
		{ "copy", no_argument, NULL, 'c' },
		{ "skb", no_argument, NULL, 'S' },
		{ "drv", no_argument, NULL, 'N' },
		{ "spin", no_argument, NULL, 'B' },
		{ "tx-only", no_argument, NULL, 'T' },
		{ "no-udp-csum", no_argument, NULL, 'U' },
		{ "count", required_argument, NULL, 'n' },
		{ "start", required_argument, NULL, 'a' },
		{ "max-lost", required_argument, NULL, 'L' },
		{ "timeout", required_argument, NULL, 't' },
		{ "idle", required_argument, NULL, 'I' },
		{ "port", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 's' },
		{ "frame-size", required_argument, NULL, 'f' },
		{ "fill", required_argument, NULL, 'F' },
		{ "rate", required_argument, NULL, 'r' },
		{ "linger", required_argument, NULL, 'l' },
		{ "ready", required_argument, NULL, 'R' },
		{ "go", required_argument, NULL, 'G' },
		{ "src-mac", required_argument, NULL, 'm' },
		{ "dst-mac", required_argument, NULL, 'M' },
		{ "src-ip", required_argument, NULL, 'x' },
		{ "dst-ip", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 }
	};
	static struct xsk_seq x;
	double t_end;
	int c;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "rx"))
		x.o.mode = MODE_RX;
	else if (!strcmp(argv[1], "tx"))
		x.o.mode = MODE_TX;
	else if (!strcmp(argv[1], "fwd"))
		x.o.mode = MODE_FWD;
	else
		usage();
	x.o.timeout = 60;
	x.o.idle = 3;
	x.o.port = 4242;
	x.o.size = 64;
	x.o.frame_size = XSK_UMEM__DEFAULT_FRAME_SIZE;
	x.o.fill = RING_SIZE;
	optind = 2;
	while ((c = getopt_long(argc, argv, "i:q:zcSNBTUn:a:L:t:I:p:s:f:F:r:l:R:G:m:M:x:X:", lopts,
				NULL)) != -1) {
		switch (c) {
		case 'i': x.o.dev = optarg; break;
		case 'q': x.o.queue = strtoul(optarg, NULL, 0); break;
		case 'z': x.o.zerocopy = true; break;
		case 'c': x.o.copy = true; break;
		case 'S': x.o.skb = true; break;
		case 'N': x.o.skb = false; break;
		case 'B': x.o.spin = true; break;
		case 'T': x.o.tx_only = true; break;
		case 'U': x.o.no_udp_csum = true; break;
		case 'n': x.o.count = strtoull(optarg, NULL, 0); break;
		case 'a': x.o.start = strtoull(optarg, NULL, 0); break;
		case 'L': x.o.max_lost = strtoull(optarg, NULL, 0); break;
		case 't': x.o.timeout = strtod(optarg, NULL); break;
		case 'I': x.o.idle = strtod(optarg, NULL); break;
		case 'p': x.o.port = strtoul(optarg, NULL, 0); break;
		case 's': x.o.size = strtoul(optarg, NULL, 0); break;
		case 'f': x.o.frame_size = strtoul(optarg, NULL, 0); break;
		case 'F': x.o.fill = strtoul(optarg, NULL, 0); break;
		case 'r': x.o.rate = strtoul(optarg, NULL, 0); break;
		case 'l': x.o.linger = strtod(optarg, NULL); break;
		case 'R': x.o.ready = optarg; break;
		case 'G': x.o.go = optarg; break;
		case 'm': parse_mac(optarg, x.o.src_mac); x.o.have_src_mac = true; break;
		case 'M': parse_mac(optarg, x.o.dst_mac); x.o.have_dst_mac = true; break;
		case 'x': parse_ip(optarg, &x.o.src_ip); break;
		case 'X': parse_ip(optarg, &x.o.dst_ip); break;
		default: usage();
		}
	}
	if (!x.o.dev || (x.o.zerocopy && x.o.copy) ||
	    (x.o.frame_size != 2048 && x.o.frame_size != 4096) ||
	    !x.o.fill || x.o.fill > RING_SIZE ||
	    x.o.size < XSK_SEQ_HDR || HDRS_LEN + x.o.size > x.o.frame_size)
		usage();
	if (x.o.mode == MODE_TX) {
		if (!x.o.count || !x.o.have_dst_mac || !x.o.src_ip.s_addr || !x.o.dst_ip.s_addr)
			usage();
		if (!x.o.have_src_mac)
			read_mac(x.o.dev, x.o.src_mac);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	setup(&x);
	while (x.o.go && access(x.o.go, F_OK) && !stop_requested)
		usleep(10000);
	if (x.o.mode == MODE_TX)
		run_tx(&x);
	else
		run_rx(&x);
	c = report(&x);
	/*
	 * Stay bound a while (--linger), until SIGTERM: the caller can read
	 * the driver's counters of the rings the socket still holds, and the
	 * program libxdp detaches with the socket goes when the caller says.
	 */
	t_end = now_s() + x.o.linger;
	while (!stop_requested && now_s() < t_end)
		usleep(10000);
	xsk_socket__delete(x.xsk);
	xsk_umem__delete(x.umem);
	return c;
}
