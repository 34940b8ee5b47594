// SPDX-License-Identifier: GPL-2.0
/*
 * vnic self test (ethtool -t), after e1000's. Online: the link. Offline,
 * with the interface's traffic stopped: the registers hold what is written
 * to them, the card can raise an interrupt, and a frame posted on a TX ring
 * comes back, intact, on an RX ring through the card's internal loopback.
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>

#include "vnic_compat.h"
#include "vnic.h"

const char vnic_test_names[VNIC_TEST_NUM][ETH_GSTRING_LEN] = {
	[VNIC_TEST_REG]		= "Register test  (offline)",
	[VNIC_TEST_IRQ]		= "Interrupt test (offline)",
	[VNIC_TEST_LOOPBACK]	= "Loopback test  (offline)",
	[VNIC_TEST_LINK]	= "Link test   (on/offline)",
};

#define VNIC_TEST_FRAME_LEN	512

/* Write patterns to registers that must hold them, then restore. */
static int vnic_test_regs(struct vnic_dev *vd)
{
	static const u32 patterns[] = { 0x5a5a5a5a, 0xa5a5a5a5, 0x00000000, 0xffffffff };
	static const struct {
		u32 reg;
		u32 mask;
	} regs[] = {
		{ VNIC_REG_MC_HASH_LO, 0xffffffff },
		{ VNIC_REG_MC_HASH_HI, 0xffffffff },
		{ VNIC_REG_Q(0, VNIC_Q_TXD_BASE_LO), 0xffffffff },
		{ VNIC_REG_Q(0, VNIC_Q_TXD_BASE_HI), 0xffffffff },
		{ VNIC_REG_Q(0, VNIC_Q_RBR_BASE_LO), 0xffffffff },
		{ VNIC_REG_Q(0, VNIC_Q_RBR_BASE_HI), 0xffffffff },
	};
	unsigned int r, p;
	int err = 0;

	for (r = 0; r < ARRAY_SIZE(regs); r++) {
		u32 saved = vnic_rd32(&vd->hw, regs[r].reg);

		for (p = 0; p < ARRAY_SIZE(patterns); p++) {
			u32 want = patterns[p] & regs[r].mask, got;

			vnic_wr32(&vd->hw, regs[r].reg, want);
			got = vnic_rd32(&vd->hw, regs[r].reg) & regs[r].mask;
			if (got != want) {
				netdev_err(vd->netdev, "register %#x: wrote %#x, read %#x\n",
					   regs[r].reg, want, got);
				err = -EIO;
			}
		}
		vnic_wr32(&vd->hw, regs[r].reg, saved);
	}

	if (FIELD_GET(VNIC_ID_VENDOR, vnic_rd32(&vd->hw, VNIC_REG_ID)) != VNIC_VENDOR_ID)
		err = -EIO;
	return err;
}

/* Ask the card for a test interrupt on the misc vector and wait for it. */
static int vnic_test_irq(struct vnic_dev *vd)
{
	int before = atomic_read(&vd->misc_test_irqs);
	unsigned int i;

	vnic_raise_vector(vd, VNIC_VEC_MISC);
	for (i = 0; i < 100; i++) {
		if (atomic_read(&vd->misc_test_irqs) != before)
			return 0;
		usleep_range(1000, 2000);
	}
	netdev_err(vd->netdev, "no test interrupt on the misc vector\n");
	return -EIO;
}

/*
 * Put one frame on queue 0's TX ring with the card in internal loopback
 * and poll, without interrupts or NAPI, for it on queue 0's RX ring.
 */
static int vnic_test_loopback(struct vnic_dev *vd)
{
	u16 saved_nq = vd->num_queues;
	struct vnic_rx_cmpl *rcq;
	struct vnic_ring *tx, *rx;
	struct vnic_tx_desc *txd;
	u8 *frame, *got;
	dma_addr_t dma;
	unsigned int i;
	u64 word = 0;
	int err;

	frame = kmalloc(VNIC_TEST_FRAME_LEN, GFP_KERNEL);
	if (!frame)
		return -ENOMEM;
	ether_addr_copy(frame, vd->netdev->dev_addr);
	ether_addr_copy(frame + ETH_ALEN, vd->netdev->dev_addr);
	frame[12] = 0x88;	/* local experimental ethertype 0x88b5 */
	frame[13] = 0xb5;
	for (i = ETH_HLEN; i < VNIC_TEST_FRAME_LEN; i++)
		frame[i] = i & 0xff;

	vd->num_queues = 1;
	err = vnic_alloc_napi_vectors(vd, vd->nv, 1, VNIC_RING_MIN, VNIC_RING_MIN,
				      vd->netdev->mtu);
	if (err)
		goto out_frame;

	vnic_write_mac(vd);
	vnic_write_max_frame(vd);
	vnic_wr32(&vd->hw, VNIC_REG_RX_MODE, VNIC_RX_MODE_BCAST);
	vnic_wr32(&vd->hw, VNIC_REG_CTRL, VNIC_CTRL_LOOPBACK);
	err = vnic_enable_rings(vd);
	if (err)
		goto out_loopback;
	vnic_fill_rx_rings(vd);

	tx = &vd->nv[0]->tx;
	rx = &vd->nv[0]->rx;
	dma = dma_map_single(tx->dev, frame, VNIC_TEST_FRAME_LEN, DMA_TO_DEVICE);
	err = dma_mapping_error(tx->dev, dma);
	if (err)
		goto out_rings;

	txd = tx->desc;
	txd[0].addr = cpu_to_le64(dma);
	txd[0].ctrl = cpu_to_le64(FIELD_PREP(VNIC_TXD_LEN, VNIC_TEST_FRAME_LEN) |
				  VNIC_TXD_EOP | VNIC_TXD_REQ_COMPL);
	dma_wmb();
	vnic_wr32(&vd->hw, VNIC_REG_Q(0, VNIC_Q_TXD_TAIL), 1);

	rcq = rx->cmpl;
	for (i = 0; i < 200; i++) {
		word = le64_to_cpu(READ_ONCE(rcq[0].word));
		if (word & VNIC_RCQ_DONE)
			break;
		usleep_range(500, 1000);
	}
	dma_rmb();

	err = -EIO;
	if (!(word & VNIC_RCQ_DONE)) {
		netdev_err(vd->netdev, "loopback: no frame came back\n");
	} else if (FIELD_GET(VNIC_RCQ_STATUS, word) != VNIC_STATUS_OK ||
		   FIELD_GET(VNIC_RCQ_LEN, word) != VNIC_TEST_FRAME_LEN) {
		netdev_err(vd->netdev, "loopback: status %llu, length %llu\n",
			   FIELD_GET(VNIC_RCQ_STATUS, word), FIELD_GET(VNIC_RCQ_LEN, word));
	} else {
		const struct vnic_rx_buf *buf = &rx->rx_buf[0];

		/* The pool's own direction: both ways with an XDP program. */
		page_pool_dma_sync_for_cpu(rx->pp, buf->page, buf->offset + rx->headroom,
					   VNIC_TEST_FRAME_LEN);
		got = page_address(buf->page) + buf->offset + rx->headroom;
		if (memcmp(got, frame, VNIC_TEST_FRAME_LEN))
			netdev_err(vd->netdev, "loopback: the frame came back changed\n");
		else
			err = 0;
	}

	/* Let the TX completion land before the ring goes away. */
	usleep_range(1000, 2000);
	dma_unmap_single(tx->dev, dma, VNIC_TEST_FRAME_LEN, DMA_TO_DEVICE);
out_rings:
	vnic_disable_rings(vd);
out_loopback:
	/* Back to what the loopback feature (ethtool -K) asks for. */
	vnic_write_ctrl(vd, vd->netdev->features);
	vnic_free_napi_vectors(vd, vd->nv, 1);
out_frame:
	vd->num_queues = saved_nq;
	kfree(frame);
	return err;
}

/**
 * vnic_self_test - run the ethtool self tests
 * @vd: the device
 * @offline: also run the tests that stop traffic
 * @results: one entry per enum vnic_test, 0 for a pass
 *
 * Called under RTNL. Offline tests take the interface's rings away for
 * their duration and bring them back afterwards.
 */
void vnic_self_test(struct vnic_dev *vd, bool offline, u64 *results)
{
	struct net_device *netdev = vd->netdev;
	bool was_running = vd->running;

	ASSERT_RTNL();
	memset(results, 0, VNIC_TEST_NUM * sizeof(*results));

	results[VNIC_TEST_LINK] =
		!(vnic_rd32(&vd->hw, VNIC_REG_STATUS) & VNIC_STATUS_LINK_UP);
	if (!offline)
		return;

	if (was_running)
		vnic_down(vd);

	results[VNIC_TEST_REG] = !!vnic_test_regs(vd);
	results[VNIC_TEST_IRQ] = !!vnic_test_irq(vd);
	results[VNIC_TEST_LOOPBACK] = !!vnic_test_loopback(vd);

	if (was_running && vnic_up(vd))
		netdev_err(netdev, "could not restart after the self test\n");
}
